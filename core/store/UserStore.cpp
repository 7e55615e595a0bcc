#include "UserStore.h"

#include "auth/ConstantTime.h"

namespace oauthsim {

const User *UserStore::find(const QString &username) const
{
    const auto it = m_users.constFind(username);
    return it == m_users.constEnd() ? nullptr : &*it;
}

const User *UserStore::authenticate(const QString &username, const QString &password) const
{
    const User *user = find(username);
    // Compare against something even for an unknown user, so timing does not reveal which usernames exist.
    static const QString kDummy = QStringLiteral("oauthsim-no-such-user");
    const bool match = constantTimeEquals(user ? user->password : kDummy, password);
    return user && match ? user : nullptr;
}

void UserStore::replaceAll(const QList<User> &users)
{
    m_users.clear();
    for (const User &u : users)
        m_users.insert(u.username, u);
    Q_EMIT usersReset();
}

} // namespace oauthsim
