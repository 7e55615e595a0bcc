#include "JsonObjectWriter.h"

#include "protocol/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace oauthsim {

void JsonObjectWriter::addKey(QStringView key)
{
    if (!m_members.isEmpty())
        m_members += ',';
    m_members += jsonQuote(key) + ':';
}

JsonObjectWriter &JsonObjectWriter::add(QStringView key, const QString &value)
{
    addKey(key);
    m_members += jsonQuote(value);
    return *this;
}

JsonObjectWriter &JsonObjectWriter::add(QStringView key, const QStringList &values)
{
    addKey(key);
    m_members += '[';
    for (qsizetype i = 0; i < values.size(); ++i)
        m_members += (i ? "," : "") + jsonQuote(values.at(i));
    m_members += ']';
    return *this;
}

JsonObjectWriter &JsonObjectWriter::add(QStringView key, const QJsonValue &value)
{
    addKey(key);
    // QJsonDocument holds only objects and arrays: wrap the value in an array and take it back out.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    m_members += wrapped.mid(1, wrapped.size() - 2);
    return *this;
}

} // namespace oauthsim
