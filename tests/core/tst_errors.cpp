#include "endpoints/PageRenderer.h"
#include "http/ResponseWriter.h"
#include "protocol/ErrorCode.h"
#include "protocol/OAuthError.h"

#include <QSet>
#include <QTest>

using namespace oauthsim;

Q_DECLARE_METATYPE(oauthsim::ErrorCode)
Q_DECLARE_METATYPE(oauthsim::AuthChallenge)
Q_DECLARE_METATYPE(oauthsim::OAuthError)

namespace {

constexpr ErrorCode kAllCodes[] = {
    ErrorCode::InvalidRequest,       ErrorCode::InvalidClient,
    ErrorCode::InvalidGrant,         ErrorCode::UnauthorizedClient,
    ErrorCode::UnsupportedGrantType, ErrorCode::UnsupportedResponseType,
    ErrorCode::InvalidScope,         ErrorCode::AccessDenied,
    ErrorCode::InvalidToken,         ErrorCode::ServerError,
    ErrorCode::MethodNotAllowed,     ErrorCode::NotFound,
    ErrorCode::PayloadTooLarge,      ErrorCode::Forbidden,
    ErrorCode::AuthorizationPending, ErrorCode::SlowDown,
    ErrorCode::ExpiredToken,         ErrorCode::LoginRequired,
    ErrorCode::ConsentRequired,      ErrorCode::InsufficientScope,
};

// Header names in the response, lower-cased and sorted, so an unexpected extra header shows up.
QByteArrayList headerNames(const HttpResponse &r)
{
    QByteArrayList names;
    for (const auto &[name, value] : r.headers)
        names << name.toLower();
    std::sort(names.begin(), names.end());
    return names;
}

int headerCount(const HttpResponse &r, QByteArrayView name)
{
    int n = 0;
    for (const auto &[key, value] : r.headers)
        n += key.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
    return n;
}

QByteArray allHeaderText(const HttpResponse &r)
{
    QByteArray out;
    for (const auto &[name, value] : r.headers)
        out += name + ": " + value + "\n";
    return out;
}

QString describeExtra(const OAuthError &e)
{
    QStringList out;
    for (const auto &[k, v] : e.extra())
        out << k + QLatin1Char('=') + v;
    return out.join(QLatin1Char('|'));
}

} // namespace

class tst_Errors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorCodeTable_data();
    void errorCodeTable();
    void wireStringsDistinct();
    void factories_data();
    void factories();
    void modifiersReturnCopies();
    void summary_data();
    void summary();

    void jsonError_data();
    void jsonError();
    void jsonErrorEscapesJson();
    void redirectError_data();
    void redirectError();
    void appendQuery_data();
    void appendQuery();
    void htmlError();
    void htmlErrorEscapesScript();
    void methodNotAllowed();
    void serverErrorNeverLeaksDetail();
    void tokenJsonHeaders();
    void notFound();

private:
    PageRenderer m_pages;
};

void tst_Errors::errorCodeTable_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");

    QTest::newRow("invalid_request") << ErrorCode::InvalidRequest << QByteArray("invalid_request") << 400;
    QTest::newRow("invalid_client") << ErrorCode::InvalidClient << QByteArray("invalid_client") << 401;
    QTest::newRow("invalid_grant") << ErrorCode::InvalidGrant << QByteArray("invalid_grant") << 400;
    QTest::newRow("unauthorized_client") << ErrorCode::UnauthorizedClient << QByteArray("unauthorized_client") << 400;
    QTest::newRow("unsupported_grant_type")
        << ErrorCode::UnsupportedGrantType << QByteArray("unsupported_grant_type") << 400;
    QTest::newRow("unsupported_response_type")
        << ErrorCode::UnsupportedResponseType << QByteArray("unsupported_response_type") << 400;
    QTest::newRow("invalid_scope") << ErrorCode::InvalidScope << QByteArray("invalid_scope") << 400;
    QTest::newRow("access_denied") << ErrorCode::AccessDenied << QByteArray("access_denied") << 403;
    QTest::newRow("invalid_token") << ErrorCode::InvalidToken << QByteArray("invalid_token") << 401;
    QTest::newRow("server_error") << ErrorCode::ServerError << QByteArray("server_error") << 500;
    QTest::newRow("method_not_allowed") << ErrorCode::MethodNotAllowed << QByteArray("method_not_allowed") << 405;
    QTest::newRow("not_found") << ErrorCode::NotFound << QByteArray("not_found") << 404;
    QTest::newRow("request_too_large") << ErrorCode::PayloadTooLarge << QByteArray("request_too_large") << 413;
    QTest::newRow("forbidden") << ErrorCode::Forbidden << QByteArray("forbidden") << 403;
    QTest::newRow("authorization_pending")
        << ErrorCode::AuthorizationPending << QByteArray("authorization_pending") << 400;
    QTest::newRow("slow_down") << ErrorCode::SlowDown << QByteArray("slow_down") << 400;
    QTest::newRow("expired_token") << ErrorCode::ExpiredToken << QByteArray("expired_token") << 400;
    QTest::newRow("login_required") << ErrorCode::LoginRequired << QByteArray("login_required") << 400;
    QTest::newRow("consent_required") << ErrorCode::ConsentRequired << QByteArray("consent_required") << 400;
    QTest::newRow("insufficient_scope") << ErrorCode::InsufficientScope << QByteArray("insufficient_scope") << 403;
}

void tst_Errors::errorCodeTable()
{
    QFETCH(ErrorCode, code);
    QFETCH(QByteArray, wire);
    QFETCH(int, status);
    QCOMPARE(errorCodeName(code), wire);
    QCOMPARE(defaultHttpStatus(code), status);

    const OAuthError e(code, QStringLiteral("d"));
    QCOMPARE(e.code(), code);
    QCOMPARE(e.codeName(), wire);
    QCOMPARE(e.httpStatus(), status);
    QCOMPARE(e.description(), QStringLiteral("d"));
    // Spring's exception translator answers every 401 with a Bearer challenge unless told otherwise.
    QCOMPARE(e.challenge(), status == 401 ? AuthChallenge::Bearer : AuthChallenge::None);
    QVERIFY(e.extra().isEmpty());
    QVERIFY(e.debugDetail().isEmpty());
}

void tst_Errors::wireStringsDistinct()
{
    QSet<QByteArray> seen;
    for (ErrorCode code : kAllCodes) {
        const QByteArray wire = errorCodeName(code);
        QVERIFY2(!wire.isEmpty(), QByteArray::number(int(code)).constData());
        QVERIFY2(!seen.contains(wire), wire.constData());
        seen.insert(wire);
        // Only lower-case letters and underscores, as RFC 6749 error codes are.
        for (char c : wire)
            QVERIFY2((c >= 'a' && c <= 'z') || c == '_', wire.constData());
    }
    QCOMPARE(seen.size(), qsizetype(std::size(kAllCodes)));
    // The enum has exactly these values: the one after the last is not in the table.
    QCOMPARE(int(ErrorCode::InsufficientScope) + 1, int(std::size(kAllCodes)));
}

void tst_Errors::factories_data()
{
    QTest::addColumn<OAuthError>("error");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("description");
    QTest::addColumn<int>("status");
    QTest::addColumn<AuthChallenge>("challenge");
    QTest::addColumn<QString>("extra");
    QTest::addColumn<QString>("debugDetail");

    QTest::newRow("invalidRequest") << OAuthError::invalidRequest(QStringLiteral("Missing grant type"))
                                    << ErrorCode::InvalidRequest << QStringLiteral("Missing grant type") << 400
                                    << AuthChallenge::None << QString() << QString();
    QTest::newRow("invalidClient") << OAuthError::invalidClient(QStringLiteral("Client ID mismatch"))
                                   << ErrorCode::InvalidClient << QStringLiteral("Client ID mismatch") << 401
                                   << AuthChallenge::Bearer << QString() << QString();
    QTest::newRow("invalidGrant") << OAuthError::invalidGrant(QStringLiteral("Invalid authorization code: AbC123"))
                                  << ErrorCode::InvalidGrant << QStringLiteral("Invalid authorization code: AbC123")
                                  << 400 << AuthChallenge::None << QString() << QString();
    QTest::newRow("unsupportedGrantType")
        << OAuthError::unsupportedGrantType(QStringLiteral("Unsupported grant type")) << ErrorCode::UnsupportedGrantType
        << QStringLiteral("Unsupported grant type") << 400 << AuthChallenge::None << QString() << QString();
    QTest::newRow("unsupportedResponseType")
        << OAuthError::unsupportedResponseType(QStringLiteral("Unsupported response types: [x]"))
        << ErrorCode::UnsupportedResponseType << QStringLiteral("Unsupported response types: [x]") << 400
        << AuthChallenge::None << QString() << QString();
    QTest::newRow("invalidScope") << OAuthError::invalidScope(QStringLiteral("Invalid scope: admin"),
                                                              QStringLiteral("read write"))
                                  << ErrorCode::InvalidScope << QStringLiteral("Invalid scope: admin") << 400
                                  << AuthChallenge::None << QStringLiteral("scope=read write") << QString();
    QTest::newRow("accessDenied") << OAuthError::accessDenied(QStringLiteral("User denied access"))
                                  << ErrorCode::AccessDenied << QStringLiteral("User denied access") << 403
                                  << AuthChallenge::None << QString() << QString();
    QTest::newRow("invalidToken") << OAuthError::invalidToken(QStringLiteral("Invalid refresh token (expired): R"))
                                  << ErrorCode::InvalidToken << QStringLiteral("Invalid refresh token (expired): R")
                                  << 401 << AuthChallenge::Bearer << QString() << QString();
    QTest::newRow("unauthorizedClient") << OAuthError::unauthorizedClient(
                                               QStringLiteral("Unauthorized grant type: password"))
                                        << ErrorCode::UnauthorizedClient
                                        << QStringLiteral("Unauthorized grant type: password") << 400
                                        << AuthChallenge::None << QString() << QString();
    QTest::newRow("authorizationPending")
        << OAuthError::authorizationPending(QStringLiteral("pending")) << ErrorCode::AuthorizationPending
        << QStringLiteral("pending") << 400 << AuthChallenge::None << QString() << QString();
    QTest::newRow("slowDown") << OAuthError::slowDown(QStringLiteral("slow")) << ErrorCode::SlowDown
                              << QStringLiteral("slow") << 400 << AuthChallenge::None << QString() << QString();
    QTest::newRow("expiredToken") << OAuthError::expiredToken(QStringLiteral("expired")) << ErrorCode::ExpiredToken
                                  << QStringLiteral("expired") << 400 << AuthChallenge::None << QString() << QString();
    QTest::newRow("serverError") << OAuthError::serverError(QStringLiteral("std::bad_alloc in TokenStore"))
                                 << ErrorCode::ServerError << QStringLiteral("Internal server error") << 500
                                 << AuthChallenge::None << QString() << QStringLiteral("std::bad_alloc in TokenStore");
    QTest::newRow("badClientCredentials Basic")
        << OAuthError::badClientCredentials(AuthChallenge::Basic) << ErrorCode::InvalidClient
        << QStringLiteral("Bad client credentials") << 401 << AuthChallenge::Basic << QString() << QString();
    QTest::newRow("badClientCredentials Form")
        << OAuthError::badClientCredentials(AuthChallenge::Form) << ErrorCode::InvalidClient
        << QStringLiteral("Bad client credentials") << 401 << AuthChallenge::Form << QString() << QString();
    QTest::newRow("default-constructed") << OAuthError() << ErrorCode::ServerError << QString() << 500
                                         << AuthChallenge::None << QString() << QString();
}

void tst_Errors::factories()
{
    QFETCH(OAuthError, error);
    QFETCH(ErrorCode, code);
    QFETCH(QString, description);
    QFETCH(int, status);
    QFETCH(AuthChallenge, challenge);
    QFETCH(QString, extra);
    QFETCH(QString, debugDetail);

    QCOMPARE(error.code(), code);
    QCOMPARE(error.codeName(), errorCodeName(code));
    QCOMPARE(error.description(), description);
    QCOMPARE(error.httpStatus(), status);
    QCOMPARE(error.challenge(), challenge);
    QCOMPARE(describeExtra(error), extra);
    QCOMPARE(error.debugDetail(), debugDetail);
}

void tst_Errors::modifiersReturnCopies()
{
    const OAuthError base = OAuthError::invalidGrant(QStringLiteral("Bad credentials"));

    const OAuthError withStatus = base.withStatus(418);
    QCOMPARE(withStatus.httpStatus(), 418);
    QCOMPARE(base.httpStatus(), 400);
    QCOMPARE(withStatus.code(), ErrorCode::InvalidGrant);
    QCOMPARE(withStatus.description(), QStringLiteral("Bad credentials"));

    const OAuthError withChallenge = base.withChallenge(AuthChallenge::Form);
    QCOMPARE(withChallenge.challenge(), AuthChallenge::Form);
    QCOMPARE(base.challenge(), AuthChallenge::None);

    const OAuthError withDetail = base.withDebugDetail(QStringLiteral("user alice"));
    QCOMPARE(withDetail.debugDetail(), QStringLiteral("user alice"));
    QVERIFY(base.debugDetail().isEmpty());

    const OAuthError one = base.withExtra(QStringLiteral("scope"), QStringLiteral("read"));
    const OAuthError two = one.withExtra(QStringLiteral("hint"), QStringLiteral("x"));
    QCOMPARE(describeExtra(base), QString());
    QCOMPARE(describeExtra(one), QStringLiteral("scope=read"));
    QCOMPARE(describeExtra(two), QStringLiteral("scope=read|hint=x"));
    // A repeated key is kept as given, in order.
    const OAuthError three = two.withExtra(QStringLiteral("scope"), QStringLiteral("write"));
    QCOMPARE(describeExtra(three), QStringLiteral("scope=read|hint=x|scope=write"));
    QCOMPARE(three.code(), ErrorCode::InvalidGrant);
    QCOMPARE(three.description(), QStringLiteral("Bad credentials"));
}

void tst_Errors::summary_data()
{
    QTest::addColumn<OAuthError>("error");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("bad client credentials")
        << OAuthError::badClientCredentials(AuthChallenge::Form)
        << QByteArray(R"(error="invalid_client", error_description="Bad client credentials")");
    QTest::newRow("invalid scope with extra")
        << OAuthError::invalidScope(QStringLiteral("Invalid scope: admin"), QStringLiteral("read write"))
        << QByteArray(R"(error="invalid_scope", error_description="Invalid scope: admin", scope="read write")");
    QTest::newRow("two extras") << OAuthError::invalidRequest(QStringLiteral("x"))
                                       .withExtra(QStringLiteral("a"), QStringLiteral("1"))
                                       .withExtra(QStringLiteral("b"), QStringLiteral("2"))
                                << QByteArray(R"(error="invalid_request", error_description="x", a="1", b="2")");
    QTest::newRow("server error hides detail")
        << OAuthError::serverError(QStringLiteral("secret-detail"))
        << QByteArray(R"(error="server_error", error_description="Internal server error")");
    QTest::newRow("UTF-8 description") << OAuthError::invalidGrant(QStringLiteral("\u4e2d"))
                                       << QByteArray("error=\"invalid_grant\", error_description=\"\xe4\xb8\xad\"");
}

void tst_Errors::summary()
{
    QFETCH(OAuthError, error);
    QFETCH(QByteArray, expected);
    QCOMPARE(error.summary(), expected);
}

void tst_Errors::jsonError_data()
{
    QTest::addColumn<OAuthError>("error");
    QTest::addColumn<QByteArray>("allow");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("wwwAuthenticate"); // null = header absent

    QTest::newRow("None: invalid_grant")
        << OAuthError::invalidGrant(QStringLiteral("Invalid authorization code: AbC123")) << QByteArray() << 400
        << QByteArray(R"({"error":"invalid_grant","error_description":"Invalid authorization code: AbC123"})")
        << QByteArray();
    QTest::newRow("Basic: bad client credentials")
        << OAuthError::badClientCredentials(AuthChallenge::Basic) << QByteArray() << 401
        << QByteArray(R"({"error":"invalid_client","error_description":"Bad client credentials"})")
        << QByteArray(R"(Basic realm="oauth2/client")");
    QTest::newRow("Form: bad client credentials")
        << OAuthError::badClientCredentials(AuthChallenge::Form) << QByteArray() << 401
        << QByteArray(R"({"error":"invalid_client","error_description":"Bad client credentials"})")
        << QByteArray(
               R"(Form realm="oauth2/client", error="invalid_client", error_description="Bad client credentials")");
    QTest::newRow("Bearer: expired refresh token")
        << OAuthError::invalidToken(QStringLiteral("Invalid refresh token (expired): a2o1msDxQlL1Ej7YRJF5zmYsL_A"))
        << QByteArray() << 401
        << QByteArray(R"({"error":"invalid_token","error_description":)"
                      R"("Invalid refresh token (expired): a2o1msDxQlL1Ej7YRJF5zmYsL_A"})")
        << QByteArray(R"(Bearer error="invalid_token", )"
                      R"(error_description="Invalid refresh token (expired): a2o1msDxQlL1Ej7YRJF5zmYsL_A")");
    QTest::newRow("extras after error_description, in order")
        << OAuthError::invalidScope(QStringLiteral("Invalid scope: admin"), QStringLiteral("read write"))
               .withExtra(QStringLiteral("hint"), QStringLiteral("ask"))
        << QByteArray() << 400
        << QByteArray(R"({"error":"invalid_scope","error_description":"Invalid scope: admin",)"
                      R"("scope":"read write","hint":"ask"})")
        << QByteArray();
    QTest::newRow("405 with Allow")
        << OAuthError(ErrorCode::MethodNotAllowed, QStringLiteral("Request method 'GET' not supported"))
        << QByteArray("POST") << 405
        << QByteArray(R"({"error":"method_not_allowed","error_description":"Request method 'GET' not supported"})")
        << QByteArray();
    QTest::newRow("status override") << OAuthError::invalidClient(QStringLiteral("Unauthorized grant type: password"))
                                            .withStatus(401)
                                            .withChallenge(AuthChallenge::None)
                                     << QByteArray() << 401
                                     << QByteArray(R"({"error":"invalid_client",)"
                                                   R"("error_description":"Unauthorized grant type: password"})")
                                     << QByteArray();
}

void tst_Errors::jsonError()
{
    QFETCH(OAuthError, error);
    QFETCH(QByteArray, allow);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, wwwAuthenticate);

    const HttpResponse r = ResponseWriter::jsonError(error, allow);
    QCOMPARE(r.status, status);
    QCOMPARE(r.body, body);
    QCOMPARE(r.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(r.header("Pragma"), QByteArray("no-cache"));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json;charset=UTF-8"));
    QCOMPARE(r.header("WWW-Authenticate"), wwwAuthenticate);
    QCOMPARE(r.header("WWW-Authenticate").isNull(), wwwAuthenticate.isNull());
    QCOMPARE(r.header("Allow"), allow.isEmpty() ? QByteArray() : allow);

    QByteArrayList expectedNames{"cache-control", "content-type", "pragma"};
    if (!wwwAuthenticate.isNull())
        expectedNames << "www-authenticate";
    if (!allow.isEmpty())
        expectedNames << "allow";
    std::sort(expectedNames.begin(), expectedNames.end());
    QCOMPARE(headerNames(r), expectedNames);
}

void tst_Errors::jsonErrorEscapesJson()
{
    const OAuthError e =
        OAuthError::invalidRequest(QStringLiteral("quote \" backslash \\ newline \n tab \t ctl \x01 \u4e2d"));
    const HttpResponse r = ResponseWriter::jsonError(e);
    QCOMPARE(r.body, QByteArray("{\"error\":\"invalid_request\",\"error_description\":"
                                "\"quote \\\" backslash \\\\ newline \\n tab \\t ctl \\u0001 \xe4\xb8\xad\"}"));
}

void tst_Errors::redirectError_data()
{
    QTest::addColumn<OAuthError>("error");
    QTest::addColumn<QString>("redirectUri");
    QTest::addColumn<bool>("hasState");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("location");

    QTest::newRow("access denied with state")
        << OAuthError::accessDenied(QStringLiteral("User denied access")) << QStringLiteral("http://localhost") << true
        << QStringLiteral("xyz")
        << QStringLiteral("http://localhost?error=access_denied&error_description=User%20denied%20access&state=xyz");
    QTest::newRow("access denied without state")
        << OAuthError::accessDenied(QStringLiteral("User denied access")) << QStringLiteral("http://localhost/cb")
        << false << QString()
        << QStringLiteral("http://localhost/cb?error=access_denied&error_description=User%20denied%20access");
    QTest::newRow("empty state is still echoed")
        << OAuthError::accessDenied(QStringLiteral("User denied access")) << QStringLiteral("http://localhost/cb")
        << true << QString()
        << QStringLiteral("http://localhost/cb?error=access_denied&error_description=User%20denied%20access&state=");
    QTest::newRow("state is percent-encoded")
        << OAuthError::accessDenied(QStringLiteral("User denied access")) << QStringLiteral("http://localhost/cb")
        << true << QStringLiteral("a b&c=d+e")
        << QStringLiteral("http://localhost/cb?error=access_denied&error_description=User%20denied%20access"
                          "&state=a%20b%26c%3Dd%2Be");
    QTest::newRow("invalid scope: extras after state")
        << OAuthError::invalidScope(QStringLiteral("Invalid scope: admin"), QStringLiteral("read write"))
        << QStringLiteral("http://localhost/cb") << true << QStringLiteral("s1")
        << QStringLiteral("http://localhost/cb?error=invalid_scope&error_description=Invalid%20scope:%20admin"
                          "&state=s1&scope=read%20write");
    QTest::newRow("existing query kept")
        << OAuthError::unsupportedResponseType(QStringLiteral("Unsupported response types: [token id]"))
        << QStringLiteral("http://localhost/cb?x=1") << true << QStringLiteral("s")
        << QStringLiteral("http://localhost/cb?x=1&error=unsupported_response_type"
                          "&error_description=Unsupported%20response%20types:%20%5Btoken%20id%5D&state=s");
}

void tst_Errors::redirectError()
{
    QFETCH(OAuthError, error);
    QFETCH(QString, redirectUri);
    QFETCH(bool, hasState);
    QFETCH(QString, state);
    QFETCH(QString, location);

    const std::optional<QString> st = hasState ? std::optional<QString>(state) : std::nullopt;
    const HttpResponse r = ResponseWriter::redirectError(error, redirectUri, st);
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("Location"), location.toUtf8());
    QCOMPARE(headerCount(r, "Location"), 1);
    QVERIFY(r.body.isEmpty());
}

void tst_Errors::appendQuery_data()
{
    using Pairs = QList<QPair<QString, QString>>;
    QTest::addColumn<QString>("uri");
    QTest::addColumn<Pairs>("pairs");
    QTest::addColumn<QString>("expected");

    QTest::newRow("no query") << QStringLiteral("http://localhost")
                              << Pairs{{QStringLiteral("code"), QStringLiteral("Ab-_9z")}}
                              << QStringLiteral("http://localhost?code=Ab-_9z");
    QTest::newRow("no query, two pairs") << QStringLiteral("http://localhost/cb")
                                         << Pairs{{QStringLiteral("code"), QStringLiteral("Ab-_9z")},
                                                  {QStringLiteral("state"), QStringLiteral("x y")}}
                                         << QStringLiteral("http://localhost/cb?code=Ab-_9z&state=x%20y");
    QTest::newRow("existing query") << QStringLiteral("http://localhost/cb?tenant=a")
                                    << Pairs{{QStringLiteral("code"), QStringLiteral("Ab-_9z")}}
                                    << QStringLiteral("http://localhost/cb?tenant=a&code=Ab-_9z");
    QTest::newRow("existing query, two pairs")
        << QStringLiteral("https://app.example/cb?x=1&y=2")
        << Pairs{{QStringLiteral("code"), QStringLiteral("c")}, {QStringLiteral("state"), QStringLiteral("s")}}
        << QStringLiteral("https://app.example/cb?x=1&y=2&code=c&state=s");
    QTest::newRow("no pairs") << QStringLiteral("http://localhost/cb") << Pairs{}
                              << QStringLiteral("http://localhost/cb");
    QTest::newRow("value escaping") << QStringLiteral("http://localhost")
                                    << Pairs{{QStringLiteral("v"), QStringLiteral("a&b=c+d/e:f%\u4e2d")}}
                                    << QStringLiteral("http://localhost?v=a%26b%3Dc%2Bd/e:f%25%E4%B8%AD");
}

void tst_Errors::appendQuery()
{
    using Pairs = QList<QPair<QString, QString>>;
    QFETCH(QString, uri);
    QFETCH(Pairs, pairs);
    QFETCH(QString, expected);
    QCOMPARE(ResponseWriter::appendQuery(uri, pairs), expected);
}

void tst_Errors::htmlError()
{
    const ResponseWriter writer(m_pages);
    const OAuthError e = OAuthError::invalidClient(QStringLiteral("Bad client credentials"));
    const HttpResponse r = writer.htmlError(e);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    // Spring's WhitelabelErrorEndpoint: the whole summary HTML-escaped.
    QCOMPARE(r.body, QByteArray("<html><body><h1>OAuth Error</h1><p>error=&quot;invalid_client&quot;, "
                                "error_description=&quot;Bad client credentials&quot;</p></body></html>"));
    QCOMPARE(r.header("Location"), QByteArray());
}

void tst_Errors::htmlErrorEscapesScript()
{
    const ResponseWriter writer(m_pages);
    const OAuthError e = OAuthError::invalidGrant(
        QStringLiteral("Invalid redirect: http://x/<script>alert('x')</script>&y does not match one of the "
                       "registered values."));
    const HttpResponse r = writer.htmlError(e);
    QCOMPARE(r.status, 400);
    QVERIFY2(!r.body.contains("<script>"), r.body.constData());
    QVERIFY2(!r.body.contains("</script>"), r.body.constData());
    QCOMPARE(r.body,
             QByteArray("<html><body><h1>OAuth Error</h1><p>error=&quot;invalid_grant&quot;, "
                        "error_description=&quot;Invalid redirect: http://x/&lt;script&gt;alert('x')&lt;/script&gt;"
                        "&amp;y does not match one of the registered values.&quot;</p></body></html>"));
}

void tst_Errors::methodNotAllowed()
{
    const HttpResponse r = ResponseWriter::methodNotAllowed("GET", "POST");
    QCOMPARE(r.status, 405);
    QCOMPARE(r.body,
             QByteArray(R"({"error":"method_not_allowed","error_description":"Request method 'GET' not supported"})"));
    QCOMPARE(r.header("Allow"), QByteArray("POST"));
    QCOMPARE(headerCount(r, "Allow"), 1);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json;charset=UTF-8"));
    QVERIFY(r.header("WWW-Authenticate").isNull());

    const HttpResponse two = ResponseWriter::methodNotAllowed("DELETE", "GET, POST");
    QCOMPARE(two.body, QByteArray(R"({"error":"method_not_allowed",)"
                                  R"("error_description":"Request method 'DELETE' not supported"})"));
    QCOMPARE(two.header("Allow"), QByteArray("GET, POST"));
}

void tst_Errors::serverErrorNeverLeaksDetail()
{
    const QString detail = QStringLiteral("SECRET-DETAIL client_secret=hunter2 at TokenStore.cpp:42");
    const OAuthError e = OAuthError::serverError(detail);
    QCOMPARE(e.debugDetail(), detail);

    const HttpResponse json = ResponseWriter::jsonError(e);
    QCOMPARE(json.status, 500);
    QCOMPARE(json.body, QByteArray(R"({"error":"server_error","error_description":"Internal server error"})"));
    QVERIFY(!allHeaderText(json).contains("SECRET-DETAIL"));
    QVERIFY(!allHeaderText(json).contains("hunter2"));

    const ResponseWriter writer(m_pages);
    const HttpResponse html = writer.htmlError(e);
    QCOMPARE(html.status, 500);
    QVERIFY(!html.body.contains("SECRET-DETAIL"));
    QVERIFY(!html.body.contains("hunter2"));

    const HttpResponse redirect = ResponseWriter::redirectError(e, QStringLiteral("http://localhost"), std::nullopt);
    QCOMPARE(redirect.header("Location"),
             QByteArray("http://localhost?error=server_error&error_description=Internal%20server%20error"));
    QVERIFY(!allHeaderText(redirect).contains("SECRET"));

    // A detail added to any error stays out of the response too.
    const OAuthError withDetail =
        OAuthError::invalidGrant(QStringLiteral("Bad credentials")).withDebugDetail(QStringLiteral("SECRET-DETAIL"));
    const HttpResponse r = ResponseWriter::jsonError(withDetail);
    QCOMPARE(r.body, QByteArray(R"({"error":"invalid_grant","error_description":"Bad credentials"})"));
    QVERIFY(!allHeaderText(r).contains("SECRET"));
}

void tst_Errors::tokenJsonHeaders()
{
    const HttpResponse r = ResponseWriter::tokenJson("{}");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("{}"));
    QCOMPARE(r.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(r.header("Pragma"), QByteArray("no-cache"));
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json;charset=UTF-8"));
    QCOMPARE(headerNames(r), (QByteArrayList{"cache-control", "content-type", "pragma"}));
}

void tst_Errors::notFound()
{
    const ResponseWriter writer(m_pages);
    const HttpResponse api = writer.notFound(QStringLiteral("/oauth/nope"));
    QCOMPARE(api.status, 404);
    QCOMPARE(api.header("Content-Type"), QByteArray("application/json;charset=UTF-8"));
    QVERIFY2(api.body.startsWith(R"({"error":"not_found","error_description":)"), api.body.constData());

    const HttpResponse page = writer.notFound(QStringLiteral("/<b>nope"));
    QCOMPARE(page.status, 404);
    QCOMPARE(page.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY(!page.body.contains("<b>nope"));
}

QTEST_GUILESS_MAIN(tst_Errors)
#include "tst_errors.moc"
