// The spring-authorization-server profile against a live server: its paths (/oauth2/*), 128-character codes and
// opaque tokens, "Bearer", its token response order, 302 redirects, the consent page with one scope checkbox per
// scope, S256-only PKCE, token parameters from the body only, its error shapes ({"error":"invalid_grant"} without a
// description, 401 invalid_client without WWW-Authenticate), no implicit or password grant, and that the legacy
// paths are gone. Exact status, Location, headers and JSON.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "auth/Pkce.h"
#include "store/ApprovalStore.h"
#include "store/CodeStore.h"
#include "jose/Jwt.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

// RFC 7636 Appendix B.
const QString kVerifier = QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
const QString kChallenge = QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
// 96 random bytes, base64url without padding.
const QRegularExpression kValue128(QStringLiteral("^[A-Za-z0-9_-]{128}$"));

ServerSettings asSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    s.useProfile(ProfileId::SpringAuthorizationServer);
    for (Client &c : s.clients) {
        c.grantTypes |= GrantType::ClientCredentials | GrantType::Password;
        c.accessTokenFormat = AccessTokenFormat::Opaque; // JWT access tokens have tests of their own
    }
    return s;
}

QString authorizeQuery(const QString &extra = {})
{
    return QStringLiteral("/oauth2/authorize?response_type=code&client_id=messaging-client"
                          "&redirect_uri=http%3A%2F%2Flocalhost&scope=read%20write&state=xyz") +
           extra;
}

// Step 7 as a Spring Authorization Server client sends it: Basic, the form body, the PKCE verifier.
TestResponse exchange(HttpTestClient &http, const QString &code)
{
    return http.postForm(QStringLiteral("/oauth2/token"),
                         "grant_type=authorization_code&code=" + enc(code) +
                             "&redirect_uri=http%3A%2F%2Flocalhost&code_verifier=" + enc(kVerifier),
                         HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
}

QString s256()
{
    return QStringLiteral("&code_challenge=") + kChallenge + QStringLiteral("&code_challenge_method=S256");
}

} // namespace

class tst_AuthorizationServerProfile : public QObject
{
    Q_OBJECT

private:
    // Steps 1–3: the anonymous authorize, the login form, the login; returns the logged-in session.
    QString logIn(HttpTestClient &http, const QString &authorizePath);
    // The consent page for `authorizePath` on `session`, checked; returns its _csrf.
    QString consentPage(HttpTestClient &http, const QString &session, const QString &authorizePath);
    // A code through login and consent (read and write ticked).
    QString code(HttpTestClient &http, const QString &extra = s256());

private Q_SLOTS:
    void codeFlowWithConsentCheckboxes();
    void tokenResponseHasTheProfilesShape();
    void errorsCarryOnlyTheCode();
    void badClientIsA401WithoutChallenge();
    void tokenParametersComeFromTheBodyOnly();
    void plainPkceIsRefused();
    void cancelledConsentIsAccessDenied();
    void noImplicitNoPassword();
    void legacyPathsAreGone();
    void refreshGivesA300SecondToken();
    void accessTokensAreJwtsByDefault();
    void consentIsStoredPerClientAndUser();
};

// Spring Authorization Server remembers a consent per client and user: a request within it skips the page; a wider
// one shows only the new scopes as checkboxes (the granted ones ticked and disabled), and even a cancelled page
// keeps what was granted before. Forgetting approvals drops the consent.
void tst_AuthorizationServerProfile::consentIsStoredPerClientAndUser()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const QString path = authorizeQuery(s256());
    const QString session = logIn(http, path);
    const QString csrf = consentPage(http, session, path);
    QVERIFY(!csrf.isEmpty());
    const TestResponse first = http.postForm(QStringLiteral("/oauth2/authorize"),
                                             "client_id=messaging-client&state=xyz&scope=read&_csrf=" + enc(csrf),
                                             HttpTestClient::cookie(session));
    QCOMPARE(first.status, 302);
    QCOMPARE(server->approvals().consent(QStringLiteral("messaging-client"), QStringLiteral("user")).names(),
             QStringList{QStringLiteral("read")});

    // Within the consent: straight to the client, no page.
    const TestResponse within =
        http.get(QStringLiteral("/oauth2/authorize?response_type=code&client_id=messaging-client"
                                "&redirect_uri=http%3A%2F%2Flocalhost&scope=read&state=s2") +
                     s256(),
                 HttpTestClient::cookie(session));
    QCOMPARE(within.status, 302);
    QVERIFY2(within.header("location").startsWith("http://localhost?code="), within.header("location").constData());

    // Wider: only write is a checkbox; read is shown as granted.
    const TestResponse wider = http.get(path, HttpTestClient::cookie(session));
    QCOMPARE(wider.status, 200);
    const QString html = QString::fromUtf8(wider.body);
    QVERIFY(html.contains(QStringLiteral("type=\"checkbox\" name=\"scope\" value=\"write\" id=\"write\"> ")));
    QVERIFY(html.contains(QStringLiteral("value=\"read\" id=\"read\" checked disabled>")));
    QVERIFY(html.contains(QStringLiteral("You have already granted the following permissions to the above app:")));
    // Cancel: nothing new ticked, the earlier consent still holds, so the code is for read.
    const TestResponse cancelled = http.postForm(
        QStringLiteral("/oauth2/authorize"), "client_id=messaging-client&state=xyz&_csrf=" + enc(csrfOf(wider.body)),
        HttpTestClient::cookie(session));
    QCOMPARE(cancelled.status, 302);
    const QString code = queryItems(cancelled.header("location")).at(0).second;
    QStringList scopes;
    for (const AuthorizationCode &c : server->codes().all()) {
        if (c.code == code)
            scopes = c.scopes.names();
    }
    QCOMPARE(scopes, QStringList{QStringLiteral("read")});

    server->forgetApprovals();
    QVERIFY(server->approvals().consent(QStringLiteral("messaging-client"), QStringLiteral("user")).isEmpty());
    QCOMPARE(http.get(path, HttpTestClient::cookie(session)).status, 200);
}

// Spring Authorization Server's default token format is self-contained: an RFC 9068 JWT signed with the JWKS key.
void tst_AuthorizationServerProfile::accessTokensAreJwtsByDefault()
{
    ServerSettings s = asSettings();
    for (Client &c : s.clients)
        c.accessTokenFormat.reset();
    TestServer server(s);
    HttpTestClient http(server.port());
    const TestResponse r =
        http.postForm(QStringLiteral("/oauth2/token"), "grant_type=client_credentials&scope=read",
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(r.status, 200);
    const QString token = r.json().value(QStringLiteral("access_token")).toString();
    const JwtVerification verified = Jwt::verify(token, [](const QString &kid) {
        return kid == TestServer::signingKey().kid() ? TestServer::signingKey() : RsaKey();
    });
    QVERIFY2(verified.ok(), qPrintable(Jwt::errorText(verified.error)));
    QCOMPARE(verified.header.value(QStringLiteral("typ")).toString(), QStringLiteral("at+jwt"));
    QCOMPARE(verified.claims.value(QStringLiteral("client_id")).toString(), QStringLiteral("messaging-client"));
    QCOMPARE(verified.claims.value(QStringLiteral("scope")).toString(), QStringLiteral("read"));
    QCOMPARE(verified.claims.value(QStringLiteral("iss")).toString(), server->issuer());
}

QString tst_AuthorizationServerProfile::logIn(HttpTestClient &http, const QString &authorizePath)
{
    const TestResponse start = http.get(authorizePath);
    if (start.status != 302 || start.header("location") != "/login")
        return {};
    const QString anonymous = start.sessionCookie();
    const TestResponse form = http.get(QStringLiteral("/login"), HttpTestClient::cookie(anonymous));
    const TestResponse login =
        http.postForm(QStringLiteral("/login"), "username=user&password=password&_csrf=" + enc(csrfOf(form.body)),
                      HttpTestClient::cookie(anonymous));
    if (login.status != 302 || login.header("location") != (http.base() + authorizePath).toLatin1())
        return {};
    return login.sessionCookie();
}

QString tst_AuthorizationServerProfile::consentPage(HttpTestClient &http, const QString &session,
                                                    const QString &authorizePath)
{
    const TestResponse page = http.get(authorizePath, HttpTestClient::cookie(session));
    if (page.status != 200)
        return {};
    const QString html = QString::fromUtf8(page.body);
    // One checkbox per requested scope, posting to the profile's authorize path.
    if (!html.contains(QStringLiteral("<title>Consent required</title>")) ||
        !html.contains(QStringLiteral("action=\"/oauth2/authorize\"")) ||
        !html.contains(QStringLiteral("type=\"checkbox\" name=\"scope\" value=\"read\"")) ||
        !html.contains(QStringLiteral("type=\"checkbox\" name=\"scope\" value=\"write\"")) ||
        !html.contains(QStringLiteral("name=\"state\" value=\"xyz\"")) ||
        !html.contains(QStringLiteral("id=\"submit-consent\"")) || html.contains(QStringLiteral("user_oauth_approval")))
        return {};
    return csrfOf(page.body);
}

QString tst_AuthorizationServerProfile::code(HttpTestClient &http, const QString &extra)
{
    const QString path = authorizeQuery(extra);
    const QString session = logIn(http, path);
    const QString csrf = session.isEmpty() ? QString() : consentPage(http, session, path);
    if (csrf.isEmpty())
        return {};
    const TestResponse consent =
        http.postForm(QStringLiteral("/oauth2/authorize"),
                      "client_id=messaging-client&state=xyz&scope=read&scope=write&_csrf=" + enc(csrf),
                      HttpTestClient::cookie(session));
    const QList<QPair<QString, QString>> items = queryItems(consent.header("location"));
    if (consent.status != 302 || items.size() != 2 || items.at(0).first != QLatin1String("code") ||
        items.at(1) != qMakePair(QStringLiteral("state"), QStringLiteral("xyz")))
        return {};
    return items.at(0).second;
}

void tst_AuthorizationServerProfile::codeFlowWithConsentCheckboxes()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const QString path = authorizeQuery(s256());
    const QString session = logIn(http, path);
    QVERIFY(!session.isEmpty());
    const QString csrf = consentPage(http, session, path);
    QVERIFY(!csrf.isEmpty());
    // Only "read" ticked: the code is for read alone.
    const TestResponse consent = http.postForm(QStringLiteral("/oauth2/authorize"),
                                               "client_id=messaging-client&state=xyz&scope=read&_csrf=" + enc(csrf),
                                               HttpTestClient::cookie(session));
    QCOMPARE(consent.status, 302);
    const QByteArray location = consent.header("location");
    QVERIFY2(location.startsWith("http://localhost?code="), location.constData());
    const QString code = queryItems(location).at(0).second;
    QVERIFY2(kValue128.match(code).hasMatch(), qPrintable(code));
    QVERIFY(location.endsWith("&state=xyz"));

    const TestResponse token = exchange(http, code);
    QCOMPARE(token.status, 200);
    QCOMPARE(token.json().value(QStringLiteral("scope")).toString(), QStringLiteral("read"));
}

void tst_AuthorizationServerProfile::tokenResponseHasTheProfilesShape()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const QString c = code(http);
    QVERIFY(!c.isEmpty());
    const TestResponse token = exchange(http, c);
    QCOMPARE(token.status, 200);
    QCOMPARE(token.header("cache-control"), QByteArray("no-store"));
    const QJsonObject json = token.json();
    const QString access = json.value(QStringLiteral("access_token")).toString();
    const QString refresh = json.value(QStringLiteral("refresh_token")).toString();
    QVERIFY2(kValue128.match(access).hasMatch(), qPrintable(access));
    QVERIFY2(kValue128.match(refresh).hasMatch(), qPrintable(refresh));
    // The member order of Spring Authorization Server's HashMap, "Bearer", 300 s (the clock is frozen).
    const QByteArray expected = "{\"access_token\":\"" + access.toLatin1() + "\",\"refresh_token\":\"" +
                                refresh.toLatin1() +
                                "\",\"scope\":\"read write\",\"token_type\":\"Bearer\",\"expires_in\":299}";
    QCOMPARE(token.body, expected);
}

void tst_AuthorizationServerProfile::errorsCarryOnlyTheCode()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.postForm(
        QStringLiteral("/oauth2/token"),
        "grant_type=authorization_code&code=nope&redirect_uri=http%3A%2F%2Flocalhost&code_verifier=" + enc(kVerifier),
        HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.body, QByteArray("{\"error\":\"invalid_grant\"}"));
    QCOMPARE(r.header("content-type"), kJsonType);
    QCOMPARE(r.header("cache-control"), QByteArray("no-store"));

    // A grant the client is not registered for: unauthorized_client (RFC 6749 §5.2), not legacy invalid_client.
    ServerSettings s = asSettings();
    s.clients[0].grantTypes = GrantType::AuthorizationCode;
    server->applySettings(s);
    const TestResponse refused =
        http.postForm(QStringLiteral("/oauth2/token"), "grant_type=client_credentials",
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.body, QByteArray("{\"error\":\"unauthorized_client\"}"));
}

void tst_AuthorizationServerProfile::badClientIsA401WithoutChallenge()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const TestResponse basic =
        http.postForm(QStringLiteral("/oauth2/token"), "grant_type=client_credentials",
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("wrong")));
    QCOMPARE(basic.status, 401);
    QCOMPARE(basic.body, QByteArray("{\"error\":\"invalid_client\"}"));
    QVERIFY(basic.header("www-authenticate").isNull());
    const TestResponse form = http.postForm(QStringLiteral("/oauth2/token"),
                                            "grant_type=client_credentials&client_id=messaging-client&client_secret=x");
    QCOMPARE(form.status, 401);
    QCOMPARE(form.body, QByteArray("{\"error\":\"invalid_client\"}"));
    QVERIFY(form.header("www-authenticate").isNull());
}

void tst_AuthorizationServerProfile::tokenParametersComeFromTheBodyOnly()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    // The seed's Postman form (everything in the query) authenticates nobody here: the query is not read.
    const TestResponse query = http.postForm(
        QStringLiteral("/oauth2/token?grant_type=client_credentials&client_id=messaging-client&client_secret=secret"),
        QByteArray());
    QCOMPARE(query.status, 401);
    QCOMPARE(query.body, QByteArray("{\"error\":\"invalid_client\"}"));
    // With Basic, the query's grant_type is not seen either.
    const TestResponse grant =
        http.postForm(QStringLiteral("/oauth2/token?grant_type=client_credentials"), QByteArray(),
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(grant.status, 400);
    QCOMPARE(grant.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));
    // The body works.
    const TestResponse body =
        http.postForm(QStringLiteral("/oauth2/token"), "grant_type=client_credentials&scope=read",
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(body.status, 200);
    QCOMPARE(body.json().value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
    QVERIFY(!body.json().contains(QStringLiteral("refresh_token")));
}

void tst_AuthorizationServerProfile::plainPkceIsRefused()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const QString path =
        authorizeQuery(QStringLiteral("&code_challenge=") + kVerifier + QStringLiteral("&code_challenge_method=plain"));
    const QString session = logIn(http, path);
    QVERIFY(!session.isEmpty());
    const TestResponse r = http.get(path, HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("location"),
             QByteArray("http://localhost?error=invalid_request&error_description=Invalid%20code%20challenge%20method"
                        "&state=xyz"));
}

void tst_AuthorizationServerProfile::cancelledConsentIsAccessDenied()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const QString path = authorizeQuery(s256());
    const QString session = logIn(http, path);
    const QString csrf = consentPage(http, session, path);
    QVERIFY(!csrf.isEmpty());
    // "Cancel" resets the checkboxes and submits: no scope at all.
    const TestResponse r =
        http.postForm(QStringLiteral("/oauth2/authorize"), "client_id=messaging-client&state=xyz&_csrf=" + enc(csrf),
                      HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("location"),
             QByteArray("http://localhost?error=access_denied&error_description=User%20denied%20access&state=xyz"));
}

void tst_AuthorizationServerProfile::noImplicitNoPassword()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const TestResponse password =
        http.postForm(QStringLiteral("/oauth2/token"), "grant_type=password&username=user&password=password",
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(password.status, 400);
    QCOMPARE(password.body, QByteArray("{\"error\":\"unsupported_grant_type\"}"));
    const TestResponse implicitAtToken =
        http.postForm(QStringLiteral("/oauth2/token"), "grant_type=implicit",
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(implicitAtToken.body, QByteArray("{\"error\":\"unsupported_grant_type\"}"));

    const QString path = QStringLiteral("/oauth2/authorize?response_type=token&client_id=messaging-client"
                                        "&redirect_uri=http%3A%2F%2Flocalhost&state=xyz");
    const QString session = logIn(http, path);
    QVERIFY(!session.isEmpty());
    const TestResponse r = http.get(path, HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("location"), QByteArray("http://localhost?error=unsupported_response_type&error_description="
                                              "Unsupported%20response%20types:%20%5Btoken%5D&state=xyz"));
}

void tst_AuthorizationServerProfile::legacyPathsAreGone()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    for (const QString &path : {QStringLiteral("/oauth/token"), QStringLiteral("/oauth/check_token"),
                                QStringLiteral("/oauth/introspect"), QStringLiteral("/oauth/revoke")}) {
        const TestResponse r =
            http.postForm(path, "grant_type=client_credentials",
                          HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
        QVERIFY2(r.status == 404, qPrintable(path));
    }
    QCOMPARE(http.get(QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client")).status, 404);
    // And back: switching to the legacy profile brings its paths back, from the next request on.
    ServerSettings legacy = server->settings();
    legacy.profile = ProfileId::SpringLegacy;
    server->applySettings(legacy);
    QCOMPARE(http.postForm(QStringLiteral("/oauth2/token"), "grant_type=client_credentials").status, 404);
    const TestResponse token =
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=client_credentials",
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(token.status, 200);
    QCOMPARE(token.json().value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
}

void tst_AuthorizationServerProfile::refreshGivesA300SecondToken()
{
    TestServer server(asSettings());
    HttpTestClient http(server.port());
    const QString c = code(http);
    const TestResponse token = exchange(http, c);
    const QString refresh = token.json().value(QStringLiteral("refresh_token")).toString();
    QVERIFY(!refresh.isEmpty());
    // Refresh tokens live 3600 s: at 3599 s one still works and gives a 300 s access token.
    server.clock().advanceMs(3599 * 1000);
    const TestResponse refreshed =
        http.postForm(QStringLiteral("/oauth2/token"), "grant_type=refresh_token&refresh_token=" + enc(refresh),
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(refreshed.status, 200);
    QCOMPARE(refreshed.json().value(QStringLiteral("expires_in")).toInt(), 299);
    server.clock().advanceMs(2 * 1000);
    const TestResponse expired =
        http.postForm(QStringLiteral("/oauth2/token"), "grant_type=refresh_token&refresh_token=" + enc(refresh),
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    QCOMPARE(expired.status, 400);
    QCOMPARE(expired.body, QByteArray("{\"error\":\"invalid_grant\"}"));
}

QTEST_GUILESS_MAIN(tst_AuthorizationServerProfile)
#include "tst_authorizationserverprofile.moc"
