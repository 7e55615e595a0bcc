#pragma once

#include "model/ExchangeRecord.h"

#include <QList>
#include <QString>

#include <utility>

namespace oauthsim {

// Reads the raw HTTP parts of a logged exchange, for the detail view, the HAR export and the flow view.
class HttpText
{
public:
    // The value of the first header called `name` (case-insensitive); empty when there is none.
    static QByteArray headerValue(const HeaderList &headers, QByteArrayView name);
    // The name/value pairs of urlencoded text, decoded the way the server's FormParser reads them ('+' is a
    // space, percent-encoded UTF-8). Empty pairs are skipped; a pair without '=' has an empty value.
    static QList<std::pair<QString, QString>> formPairs(const QByteArray &urlencoded);
};

} // namespace oauthsim
