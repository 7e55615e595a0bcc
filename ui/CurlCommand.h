#pragma once

#include "model/ExchangeRecord.h"

#include <QString>

namespace oauthsim {

// Which values of a record a view or export shows.
enum class SecretView
{
    Masked,   // the redacted fields, token values masked too (RequestLogModel::withTokensMasked)
    Revealed, // what was really sent (the record's revealed* fields); only on the user's explicit request
};

// Builds a curl command line that repeats a logged request against the server: method, URL on the address the
// server listens on, headers (without Host and Content-Length, which curl sets itself) and the body verbatim.
// Every argument is quoted for a POSIX shell.
class CurlCommand
{
public:
    // `baseUrl` is "http://HOST:PORT" without a trailing slash. With SecretView::Masked the command carries the
    // masks ("******") instead of secrets, so it only repeats requests whose secrets do not matter.
    static QString build(const ExchangeRecord &record, const QString &baseUrl, SecretView view);
    // The request URL: base, percent-encoded path, '?' and the query exactly as given.
    static QString requestUrl(const QString &baseUrl, const QString &path, const QByteArray &query);
    // One shell word: 'text' (with ' written as '\''), or $'...' when it holds control characters.
    static QString shellQuote(const QByteArray &text);
};

} // namespace oauthsim
