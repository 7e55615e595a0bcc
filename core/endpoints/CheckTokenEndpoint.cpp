#include "CheckTokenEndpoint.h"

#include "Clock.h"
#include "http/FormParser.h"
#include "http/RequestParameters.h"
#include "protocol/OAuthParams.h"
#include "http/ResponseWriter.h"
#include "model/IssuedToken.h"
#include "protocol/JsonText.h"
#include "store/TokenStore.h"
#include "store/UserStore.h"

#include <algorithm>

namespace oauthsim {

namespace {

QByteArray jsonArray(const QStringList &values)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < values.size(); ++i)
        out += (i == 0 ? "" : ",") + jsonQuote(values.at(i));
    return out + ']';
}

// Java's String.hashCode() spread as HashMap.hash() does.
quint32 javaSpreadHash(const QString &text)
{
    quint32 h = 0;
    for (QChar c : text)
        h = 31 * h + c.unicode();
    return h ^ (h >> 16);
}
} // namespace

HttpResponse CheckTokenEndpoint::handle(const HttpRequest &request, ExchangeContext &context) const
{
    const Result<QByteArray> result = process(request, context);
    if (!result) {
        if (!result.error().debugDetail().isEmpty())
            context.debugDetail = result.error().debugDetail();
        return m_ctx.writer.apiError(result.error());
    }
    // Spring returns the map as a plain @ResponseBody: no cache headers.
    return ResponseWriter::json(200, result.value());
}

Result<QByteArray> CheckTokenEndpoint::process(const HttpRequest &request, ExchangeContext &context) const
{
    // Spring's @RequestParam reads the query string and the urlencoded body alike.
    const Result<FormParameters> parsed = requestParameters(request, m_ctx.profile().tokenParameters);
    if (!parsed)
        return parsed.error();
    const FormParameters &params = parsed.value();
    const QString value = params.value(param::Token);
    // Spring MVC's text for a missing @RequestParam (its own error shape there; here an OAuth error body).
    if (value.isNull())
        return OAuthError::invalidRequest(QStringLiteral("Required String parameter 'token' is not present"));

    // CheckTokenEndpoint answers its InvalidTokenExceptions with 400 (not 401) and so without a challenge.
    const auto invalidToken = [](const QString &description) {
        return OAuthError::invalidToken(description).withStatus(400).withChallenge(AuthChallenge::None);
    };
    // Only access tokens: Spring's readAccessToken does not know refresh tokens.
    const IssuedToken *token = m_ctx.tokens.findAccess(value);
    if (!token)
        return invalidToken(QStringLiteral("Token was not recognised"));
    context.username = token->username;
    context.flowId = token->flowId;
    if (token->isExpired(m_ctx.clock.nowMs()))
        return invalidToken(QStringLiteral("Token has expired"));
    return toJson(*token);
}

QByteArray CheckTokenEndpoint::toJson(const IssuedToken &token) const
{
    // Spring's DefaultAccessTokenConverter fills a HashMap; Jackson writes it in bucket order, which for these keys
    // is aud, user_name, scope, active, exp, authorities, client_id. aud lists the client's resource ids: none yet.
    QByteArray out;
    out.reserve(200);
    out += "{\"aud\":[]";
    QStringList authorities;
    if (!token.username.isEmpty()) {
        out += ",\"user_name\":" + jsonQuote(token.username);
        if (const User *user = m_ctx.users.find(token.username))
            authorities = javaHashSetOrder(user->authorities);
    }
    out += ",\"scope\":" + jsonArray(token.scopes.names());
    out += ",\"active\":true";
    if (token.expiresAtMs != 0)
        out += ",\"exp\":" + QByteArray::number(token.expiresAtMs / 1000);
    // DefaultUserAuthenticationConverter leaves out an empty authority list.
    if (!authorities.isEmpty())
        out += ",\"authorities\":" + jsonArray(authorities);
    out += ",\"client_id\":" + jsonQuote(token.clientId);
    out += '}';
    return out;
}

QStringList CheckTokenEndpoint::javaHashSetOrder(QStringList values)
{
    // Spring's User keeps its authorities sorted (a TreeSet); they enter the HashSet in that order.
    values.sort();
    values.removeDuplicates();
    // Replays HashMap.putVal's growth: the table starts at 16 buckets and doubles when the set would exceed 3/4
    // of it, or when a bucket reaches 9 entries while the table is under 64 (treeifyBin resizes instead). Bigger
    // tables turn such a bucket into a tree, whose order this does not reproduce: no authority list gets there.
    quint32 capacity = 16;
    QList<quint32> hashes;
    hashes.reserve(values.size());
    for (const QString &value : std::as_const(values)) {
        hashes.append(javaSpreadHash(value));
        const quint32 bucket = hashes.last() & (capacity - 1);
        const auto inBucket =
            std::count_if(hashes.cbegin(), hashes.cend(), [&](quint32 h) { return (h & (capacity - 1)) == bucket; });
        if (inBucket >= 9 && capacity < 64)
            capacity *= 2;
        if (quint32(hashes.size()) > capacity / 4 * 3)
            capacity *= 2;
    }
    // Iteration goes bucket by bucket; a bucket keeps insertion order, also across doublings.
    std::stable_sort(values.begin(), values.end(), [capacity](const QString &a, const QString &b) {
        return (javaSpreadHash(a) & (capacity - 1)) < (javaSpreadHash(b) & (capacity - 1));
    });
    return values;
}

} // namespace oauthsim
