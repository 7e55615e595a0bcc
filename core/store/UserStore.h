#pragma once

#include "model/Client.h"

#include <QHash>
#include <QObject>

namespace oauthsim {

class UserStore : public QObject
{
    Q_OBJECT
public:
    explicit UserStore(QObject *parent = nullptr) : QObject(parent) {}

    const User *find(const QString &username) const;
    // The user whose password matches (compared in constant time), or nullptr.
    const User *authenticate(const QString &username, const QString &password) const;
    QList<User> all() const { return m_users.values(); }
    void replaceAll(const QList<User> &users);

Q_SIGNALS:
    void usersReset();

private:
    QHash<QString, User> m_users;
};

} // namespace oauthsim
