#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace oauthsim {

// Decoded name/value pairs of a query string or an application/x-www-form-urlencoded body, in order,
// duplicates kept (QUrlQuery would hide them and keep '+' as '+').
class FormParameters
{
public:
    void append(QString name, QString value) { m_items.append({std::move(name), std::move(value)}); }
    // First value, or a null QString when absent (an empty value is "" — not null).
    QString value(QStringView name) const;
    bool contains(QStringView name) const { return !value(name).isNull(); }
    qsizetype count(QStringView name) const;
    // First name that occurs more than once (RFC 6749 §3.1 forbids repeats), or a null QString.
    QString firstRepeated() const;
    const QList<QPair<QString, QString>> &items() const { return m_items; }
    bool isEmpty() const { return m_items.isEmpty(); }
    // Query parameters followed by body parameters: how Spring's request.getParameter() sees both.
    static FormParameters merged(const FormParameters &first, const FormParameters &second);

private:
    QList<QPair<QString, QString>> m_items;
};

class FormParser
{
public:
    static constexpr int kMaxParameters = 256;

    // Parses urlencoded text: '&'-separated, '+' is a space, values fully percent-decoded as UTF-8.
    // Returns nullopt (and sets *error) when there are more than kMaxParameters pairs.
    static std::optional<FormParameters> parse(QByteArrayView text, QString *error = nullptr);
    // Encodes one value for a redirect's query string: unreserved characters and ":@/?!$'()*,;" stay as they
    // are (Spring's choice), everything else — '&', '=', '+', '#', space, non-ASCII — is percent-encoded.
    static QByteArray encodeComponent(const QString &value);
    // Re-encodes parameters into urlencoded text (used to log redacted bodies).
    static QByteArray encode(const FormParameters &params);
};

} // namespace oauthsim
