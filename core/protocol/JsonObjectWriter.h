#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QStringList>
#include <QStringView>

namespace oauthsim {

// Writes one compact JSON object whose members keep the order they were added in (QJsonObject sorts its keys):
// for documents people read (discovery) and answers whose order is part of the contract (userinfo's "sub" first).
class JsonObjectWriter
{
public:
    JsonObjectWriter &add(QStringView key, const QString &value);
    JsonObjectWriter &add(QStringView key, const QStringList &values);
    JsonObjectWriter &add(QStringView key, const QJsonValue &value);
    // "{...}" with every member added so far.
    QByteArray toJson() const { return '{' + m_members + '}'; }

private:
    void addKey(QStringView key);
    QByteArray m_members;
};

} // namespace oauthsim
