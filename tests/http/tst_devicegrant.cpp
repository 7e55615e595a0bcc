// The OAuth 2.0 Device Authorization Grant (RFC 8628) against a live server: the device authorization endpoint
// (§3.1–§3.2), the verification page a signed-in browser uses to enter the user code and decide (§3.3), and the
// token endpoint's device_code grant with every polling answer (§3.4–§3.5), in both profiles' paths. Exact status,
// headers and bodies; the signals the stores and ServerEvents emit; time moved with the FakeClock.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "ServerEvents.h"
#include "model/IssuedToken.h"
#include "store/DeviceCodeStore.h"
#include "store/TokenStore.h"
#include "trace/FlowTracker.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kDeviceGrant = QStringLiteral("urn:ietf:params:oauth:grant-type:device_code");
const ClientCredentials kTv{QStringLiteral("tv-client"), QStringLiteral("tv-secret")};
const ClientCredentials kOtherTv{QStringLiteral("other-tv"), QStringLiteral("other-secret")};
const QString kPublicTv = QStringLiteral("public-tv");
const QString kLegacyAuthorizationPath = QStringLiteral("/oauth/device_authorization");
const QString kLegacyVerificationPath = QStringLiteral("/oauth/device_verification");
// The route table follows Profile::paths for the device endpoints only so far: the token endpoint answers here in
// every profile.
const QString kTokenPath = QStringLiteral("/oauth/token");
const QRegularExpression kUserCodeShape(QStringLiteral("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$"));
const QRegularExpression kOpaqueShape(QStringLiteral("^[A-Za-z0-9_-]{27}$")); // 20 bytes, base64url

Client deviceClient(const ClientCredentials &credentials, GrantTypes grants)
{
    Client c;
    c.id = credentials.id;
    c.secret = credentials.secret;
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.grantTypes = grants;
    return c;
}

// The seed's world (its client lacks the device grant) plus two confidential device clients and a public one.
ServerSettings deviceSettings(ProfileId profile = ProfileId::SpringLegacy)
{
    ServerSettings s = TestServer::defaultSettings();
    s.profile = profile;
    s.clients << deviceClient(kTv, GrantType::DeviceCode | GrantType::RefreshToken)
              << deviceClient(kOtherTv, GrantType::DeviceCode);
    Client pub = deviceClient({kPublicTv, QString()}, GrantType::DeviceCode | GrantType::RefreshToken);
    pub.authMethod = ClientAuthMethod::None;
    s.clients << pub;
    return s;
}

// What the device authorization endpoint answered, read from its JSON.
struct DeviceCodes
{
    QString device;
    QString user;
    QString uri;
    QString complete;
};

// The exact body RFC 8628 §3.2 asks for, in its member order.
QByteArray deviceAuthorizationBody(const DeviceCodes &c)
{
    return "{\"device_code\":\"" + c.device.toUtf8() + "\",\"user_code\":\"" + c.user.toUtf8() +
           "\",\"verification_uri\":\"" + c.uri.toUtf8() + "\",\"verification_uri_complete\":\"" + c.complete.toUtf8() +
           "\",\"expires_in\":300,\"interval\":5}";
}

TestResponse requestDeviceCode(HttpTestClient &http, const QByteArray &params = {},
                               const ClientCredentials &client = kTv, const QString &path = kLegacyAuthorizationPath)
{
    return http.postForm(path, params, HttpTestClient::basic(client.id, client.secret));
}

// A 200 device authorization answer with the no-store JSON headers and exactly RFC 8628's body for the values it
// carries, its verification URI being `verificationUri`. *out gets the values.
void expectDeviceCodes(const TestResponse &r, const QString &verificationUri, DeviceCodes *out)
{
    QVERIFY2(r.status == 200, r.body.constData());
    CHECKED(expectJsonHeaders(r));
    const QJsonObject json = r.json();
    DeviceCodes c{json.value(QLatin1String("device_code")).toString(),
                  json.value(QLatin1String("user_code")).toString(),
                  json.value(QLatin1String("verification_uri")).toString(),
                  json.value(QLatin1String("verification_uri_complete")).toString()};
    QVERIFY2(kOpaqueShape.match(c.device).hasMatch(), qPrintable(c.device));
    QVERIFY2(kUserCodeShape.match(c.user).hasMatch(), qPrintable(c.user));
    QCOMPARE(c.uri, verificationUri);
    QCOMPARE(c.complete, verificationUri + QStringLiteral("?user_code=") + c.user);
    QCOMPARE(r.body, deviceAuthorizationBody(c));
    *out = c;
}

// Steps of RFC 8628 §3.1–§3.2 for `client` on the legacy path, asserting (use CHECKED).
void obtainDeviceCodes(HttpTestClient &http, DeviceCodes *out, const ClientCredentials &client = kTv)
{
    CHECKED(expectDeviceCodes(requestDeviceCode(http, {}, client), http.base() + kLegacyVerificationPath, out));
}

TestResponse poll(HttpTestClient &http, const QString &deviceCode, const ClientCredentials &client = kTv,
                  const QString &tokenPath = kTokenPath)
{
    return http.postForm(tokenPath, "grant_type=" + enc(kDeviceGrant) + "&device_code=" + enc(deviceCode),
                         HttpTestClient::basic(client.id, client.secret));
}

// A 400 polling answer: exactly {"error":…,"error_description":…}, no-store, no challenge.
void expectPollError(const TestResponse &r, const char *error, const QString &description)
{
    CHECKED(expectJsonError(r, 400, jsonError(error, description)));
}

const QString kPending = QStringLiteral("The authorization request is still pending");
const QString kInvalidDeviceCode = QStringLiteral("Invalid device code");

QString slowDown(int interval)
{
    return QStringLiteral("Polling too fast: the interval is now %1 seconds").arg(interval);
}

// The browser on the verification page: keeps the newest JSESSIONID an answer set and the _csrf of the last page
// that had a form. Each method sends one request and asserts nothing, except signIn().
class VerificationBrowser
{
public:
    VerificationBrowser(HttpTestClient &http, const QString &path = kLegacyVerificationPath)
        : m_http(http), m_path(path)
    {}

    QString session() const { return m_session; }
    QString csrf() const { return m_csrf; }
    void setCsrf(const QString &csrf) { m_csrf = csrf; }

    TestResponse get(const QString &pathAndQuery)
    {
        const TestResponse r = keep(m_http.get(pathAndQuery, cookie()));
        if (const QString csrf = csrfOf(r.body); !csrf.isNull())
            m_csrf = csrf;
        return r;
    }
    // POSTs `form` and then _csrf (the kept one) to the verification page.
    TestResponse submit(const QByteArray &form)
    {
        return submitRaw(form + (form.isEmpty() ? "" : "&") + "_csrf=" + enc(m_csrf));
    }
    TestResponse submitRaw(const QByteArray &form)
    {
        const TestResponse r = keep(m_http.postForm(m_path, form, cookie()));
        if (const QString csrf = csrfOf(r.body); !csrf.isNull())
            m_csrf = csrf;
        return r;
    }
    TestResponse enterCode(const QString &userCode) { return submit("user_code=" + enc(userCode)); }
    TestResponse decide(const QString &userCode, const char *decision)
    {
        return submit("user_code=" + enc(userCode) + "&decision=" + decision);
    }

    // Opens `start` (a path and query on the verification page) without a session and signs in as `user`, asserting
    // (use CHECKED): 302 to /login with a new session, the login form, 302 back to the absolute `start` with a new
    // session, and there the code form (200).
    void signIn(const QString &start)
    {
        const TestResponse first = get(start);
        QCOMPARE(first.status, 302);
        QCOMPARE(first.header("Location"), QByteArray("/login"));
        QVERIFY(!first.sessionCookie().isEmpty());
        QCOMPARE(get(QStringLiteral("/login")).status, 200);
        const QString anonymous = m_session;
        const TestResponse login = keep(m_http.postForm(
            QStringLiteral("/login"), "username=user&password=password&_csrf=" + enc(m_csrf), cookie()));
        QCOMPARE(login.status, 302);
        QCOMPARE(QString::fromUtf8(login.header("Location")), m_http.base() + start);
        QVERIFY(m_session != anonymous);
        const TestResponse form = get(start);
        QCOMPARE(form.status, 200);
        QVERIFY(!m_csrf.isEmpty());
    }

private:
    TestResponse keep(const TestResponse &r)
    {
        if (!r.sessionCookie().isEmpty())
            m_session = r.sessionCookie();
        return r;
    }
    HttpTestClient::Headers cookie() const
    {
        return m_session.isEmpty() ? HttpTestClient::Headers{} : HttpTestClient::cookie(m_session);
    }

    HttpTestClient &m_http;
    QString m_path;
    QString m_session;
    QString m_csrf;
};

// The code form's text input, pre-filled with `value`.
QByteArray codeInput(const QString &value)
{
    return "<input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"" + value.toHtmlEscaped().toUtf8() + "\"";
}

QByteArray alertOf(const QString &message)
{
    return "<div class=\"alert alert-danger\" role=\"alert\">" + message.toHtmlEscaped().toUtf8() + "</div>";
}

// A 200 HTML page of the verification flow.
void expectPage(const TestResponse &r, int status)
{
    QVERIFY2(r.status == status, r.body.constData());
    QCOMPARE(r.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
}

// Device code issued, the user signed in on the verification page and approved: the device's next poll gets
// tokens. Asserting (use CHECKED).
void approveOnThePage(HttpTestClient &http, const DeviceCodes &codes)
{
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath + QStringLiteral("?user_code=") + codes.user));
    CHECKED(expectPage(browser.enterCode(codes.user), 200));
    const TestResponse done = browser.decide(codes.user, "approve");
    CHECKED(expectPage(done, 200));
    QVERIFY2(done.body.contains("<h1>Device activated</h1>"), done.body.constData());
}

QList<ExchangeRecord> recordsOf(const QSignalSpy &spy)
{
    QList<ExchangeRecord> out;
    for (const QList<QVariant> &args : spy)
        out << args.at(0).value<ExchangeRecord>();
    return out;
}

} // namespace

class TstDeviceGrant : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // RFC 8628 §3.1–§3.2: the device authorization endpoint.
    void deviceAuthorization();
    void deviceAuthorizationScope_data();
    void deviceAuthorizationScope();
    void verificationUriFromTheIssuer_data();
    void verificationUriFromTheIssuer();
    void deviceAuthorizationErrors_data();
    void deviceAuthorizationErrors();
    void deviceAuthorizationIsPostOnly();
    void deviceAuthorizationAllowsBrowserApps();
    void publicClientAuthorizesByClientId();
    void codesAreDistinct();

    // RFC 8628 §3.3: the verification page.
    void signedOutGoesToLogin_data();
    void signedOutGoesToLogin();
    void codeForm_data();
    void codeForm();
    void confirmationPage();
    void approve();
    void deny();
    void userCodeNormalisation_data();
    void userCodeNormalisation();
    void codeProblems_data();
    void codeProblems();
    void csrf_data();
    void csrf();
    void signedOutSubmissionComesBackAfterLogin();
    void unknownDecision();

    // RFC 8628 §3.4–§3.5: polling the token endpoint.
    void wholeFlow();
    void pollingErrors_data();
    void pollingErrors();
    void slowDownGrowsTheInterval();
    void expiry_data();
    void expiry();
    void denial();
    void anotherClientsPollLeavesThePaceAlone();
    void publicClientGetsNoRefreshToken();
    void scopeParameterIsIgnored();

    // Profile::paths: Spring Authorization Server's paths.
    void springAuthorizationServerPaths();
};

void TstDeviceGrant::deviceAuthorization()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy issued(&ts->deviceCodes(), &DeviceCodeStore::deviceAuthorizationIssued);
    QSignalSpy flows(&ts->flows(), &FlowTracker::flowStarted);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);

    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));

    QCOMPARE(issued.size(), 1);
    const auto a = issued.at(0).at(0).value<DeviceAuthorization>();
    QCOMPARE(a.deviceCode, codes.device);
    QCOMPARE(a.userCode, codes.user);
    QCOMPARE(a.clientId, kTv.id);
    QCOMPARE(a.scopes.joined(), QStringLiteral("read write"));
    QCOMPARE(a.issuedAtMs, ts.clock().nowMs());
    QCOMPARE(a.expiresAtMs, ts.clock().nowMs() + 300'000);
    QCOMPARE(a.intervalSeconds, 5);
    QCOMPARE(a.status, DeviceAuthorization::Status::Pending);
    // A flow of its own, which the exchange belongs to.
    QCOMPARE(flows.size(), 1);
    QCOMPARE(flows.at(0).at(1).toString(), kTv.id);
    QCOMPARE(a.flowId, flows.at(0).at(0).toULongLong());
    QCOMPARE(lastRecord(records).flowId, a.flowId);
    QCOMPARE(lastRecord(records).clientId, kTv.id);
}

void TstDeviceGrant::deviceAuthorizationScope_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("scopes");
    QTest::newRow("no scope: the client's") << QString() << QByteArray() << QStringLiteral("read write");
    QTest::newRow("empty scope: the client's") << QString() << QByteArray("scope=") << QStringLiteral("read write");
    QTest::newRow("one scope") << QString() << QByteArray("scope=read") << QStringLiteral("read");
    QTest::newRow("both, reordered") << QString() << QByteArray("scope=write+read") << QStringLiteral("read write");
    // Parameters are read as at the token endpoint: in the legacy profile the query string counts too.
    QTest::newRow("in the query") << QStringLiteral("?scope=write") << QByteArray() << QStringLiteral("write");
}

void TstDeviceGrant::deviceAuthorizationScope()
{
    QFETCH(QString, query);
    QFETCH(QByteArray, body);
    QFETCH(QString, scopes);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy issued(&ts->deviceCodes(), &DeviceCodeStore::deviceAuthorizationIssued);
    DeviceCodes codes;
    CHECKED(expectDeviceCodes(requestDeviceCode(http, body, kTv, kLegacyAuthorizationPath + query),
                              http.base() + kLegacyVerificationPath, &codes));
    QCOMPARE(issued.size(), 1);
    QCOMPARE(issued.at(0).at(0).value<DeviceAuthorization>().scopes.joined(), scopes);
}

void TstDeviceGrant::verificationUriFromTheIssuer_data()
{
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<QString>("verificationUri");
    QTest::newRow("configured") << QStringLiteral("https://auth.example.test")
                                << QStringLiteral("https://auth.example.test/oauth/device_verification");
    QTest::newRow("configured with a trailing slash")
        << QStringLiteral("https://auth.example.test/")
        << QStringLiteral("https://auth.example.test/oauth/device_verification");
    QTest::newRow("configured with a path") << QStringLiteral("http://127.0.0.1:9/sim/")
                                            << QStringLiteral("http://127.0.0.1:9/sim/oauth/device_verification");
}

void TstDeviceGrant::verificationUriFromTheIssuer()
{
    QFETCH(QString, issuer);
    QFETCH(QString, verificationUri);
    ServerSettings s = deviceSettings();
    s.issuer = issuer;
    TestServer ts(s);
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(expectDeviceCodes(requestDeviceCode(http), verificationUri, &codes));
}

void TstDeviceGrant::deviceAuthorizationErrors_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("challenge");

    const QByteArray tv = HttpTestClient::basic(kTv.id, kTv.secret).first().second;
    const QByteArray badClient = jsonError("invalid_client", QStringLiteral("Bad client credentials"));
    QTest::newRow("no client authentication")
        << QByteArray() << QByteArray() << 401 << badClient << QByteArray("Basic realm=\"oauth2/client\"");
    QTest::newRow("wrong Basic secret") << QByteArray()
                                        << HttpTestClient::basic(kTv.id, QStringLiteral("nope")).first().second << 401
                                        << badClient << QByteArray("Basic realm=\"oauth2/client\"");
    QTest::newRow("wrong secret by parameters")
        << QByteArray("client_id=tv-client&client_secret=nope") << QByteArray() << 401 << badClient
        << QByteArray(
               "Form realm=\"oauth2/client\", error=\"invalid_client\", error_description=\"Bad client credentials\"");
    // RFC 8628 §3.1: only clients registered for the grant may start it.
    QTest::newRow("client without the device_code grant")
        << QByteArray()
        << HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")).first().second << 400
        << jsonError("unauthorized_client",
                     QStringLiteral("Unauthorized grant type: urn:ietf:params:oauth:grant-type:device_code"))
        << QByteArray();
    QTest::newRow("scope outside the client's")
        << QByteArray("scope=read+admin") << tv << 400
        << QByteArray("{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scope: admin\","
                      "\"scope\":\"read write\"}")
        << QByteArray();
    QTest::newRow("repeated scope") << QByteArray("scope=read&scope=read") << tv << 400
                                    << jsonError("invalid_request",
                                                 QStringLiteral("Parameter scope must not be provided more than once"))
                                    << QByteArray();
}

void TstDeviceGrant::deviceAuthorizationErrors()
{
    QFETCH(QByteArray, params);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, challenge);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy issued(&ts->deviceCodes(), &DeviceCodeStore::deviceAuthorizationIssued);
    QSignalSpy flows(&ts->flows(), &FlowTracker::flowStarted);
    HttpTestClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    CHECKED(expectJsonError(http.postForm(kLegacyAuthorizationPath, params, headers), status, expected, challenge));
    QCOMPARE(issued.size(), 0);
    QCOMPARE(flows.size(), 0);
    QCOMPARE(ts->deviceCodes().size(), 0);
}

void TstDeviceGrant::deviceAuthorizationIsPostOnly()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    const TestResponse r = http.get(kLegacyAuthorizationPath);
    CHECKED(
        expectJsonError(r, 405, jsonError("method_not_allowed", QStringLiteral("Request method 'GET' not supported"))));
    QCOMPARE(r.header("Allow"), QByteArray("POST"));
}

void TstDeviceGrant::deviceAuthorizationAllowsBrowserApps()
{
    // CrossOrigin::Allowed: a preflight from a local origin is answered, the answer opened to it.
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    const TestResponse preflight =
        http.send("OPTIONS", kLegacyAuthorizationPath, {},
                  {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:3000"));
    QCOMPARE(preflight.header("Access-Control-Allow-Methods"), QByteArray("POST, OPTIONS"));
    const TestResponse r =
        http.postForm(kLegacyAuthorizationPath, "client_id=" + enc(kPublicTv), {{"Origin", "http://localhost:3000"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:3000"));
}

void TstDeviceGrant::publicClientAuthorizesByClientId()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(expectDeviceCodes(http.postForm(kLegacyAuthorizationPath, "client_id=" + enc(kPublicTv)),
                              http.base() + kLegacyVerificationPath, &codes));
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->clientId, kPublicTv);
    // A public client has no secret to send.
    CHECKED(expectJsonError(
        http.postForm(kLegacyAuthorizationPath, "client_id=" + enc(kPublicTv) + "&client_secret=x"), 401,
        jsonError("invalid_client", QStringLiteral("Bad client credentials")),
        "Form realm=\"oauth2/client\", error=\"invalid_client\", error_description=\"Bad client credentials\""));
}

void TstDeviceGrant::codesAreDistinct()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSet<QString> devices;
    QSet<QString> users;
    for (int i = 0; i < 20; ++i) {
        DeviceCodes codes;
        CHECKED(obtainDeviceCodes(http, &codes));
        devices.insert(codes.device);
        users.insert(codes.user);
    }
    QCOMPARE(devices.size(), 20);
    QCOMPARE(users.size(), 20);
    QCOMPARE(ts->deviceCodes().size(), 20);
}

void TstDeviceGrant::signedOutGoesToLogin_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("no user code") << QString();
    QTest::newRow("verification_uri_complete") << QStringLiteral("?user_code=");
}

void TstDeviceGrant::signedOutGoesToLogin()
{
    QFETCH(QString, query);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    QSignalSpy logins(&ts->events(), &ServerEvents::loginSucceeded);
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    const quint64 flow = lastRecord(records).flowId;
    const QString start = kLegacyVerificationPath + (query.isEmpty() ? QString() : query + codes.user);
    const TestResponse r = http.get(start);
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("Location"), QByteArray("/login"));
    QVERIFY(r.header("Set-Cookie").startsWith("JSESSIONID="));
    QVERIFY(r.header("Set-Cookie").endsWith("; Path=/; HttpOnly; SameSite=Lax"));
    // With the user code, the browser joins the device's flow: its login shows up there.
    QCOMPARE(lastRecord(records).flowId, query.isEmpty() ? quint64(0) : flow);
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(start));
    QCOMPARE(logins.size(), 1);
    QCOMPARE(logins.at(0).at(1).toULongLong(), query.isEmpty() ? quint64(0) : flow);
}

void TstDeviceGrant::codeForm_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("prefilled");
    QTest::newRow("no user code") << QString() << QString();
    QTest::newRow("verification_uri_complete") << QStringLiteral("?user_code=WDJB-MJHT") << QStringLiteral("WDJB-MJHT");
    // Whatever comes in the link is only shown (escaped), never trusted: the user submits it.
    QTest::newRow("markup in the link") << QStringLiteral("?user_code=%22%3E%3Cscript%3E")
                                        << QStringLiteral("\"><script>");
}

void TstDeviceGrant::codeForm()
{
    QFETCH(QString, query);
    QFETCH(QString, prefilled);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath + query));
    const TestResponse r = browser.get(kLegacyVerificationPath + query);
    CHECKED(expectPage(r, 200));
    QVERIFY2(r.body.contains("<title>Device activation</title>"), r.body.constData());
    QVERIFY(r.body.contains("<form class=\"device\" method=\"post\" action=\"/oauth/device_verification\">"));
    QVERIFY(r.body.contains("<h1>Activate a device</h1>"));
    QVERIFY(r.body.contains("<p>Enter the code shown on your device.</p>"));
    QVERIFY(r.body.contains("<label for=\"user_code\">Code</label>"));
    QVERIFY2(r.body.contains(codeInput(prefilled)), r.body.constData());
    QVERIFY(r.body.contains("<input type=\"hidden\" name=\"_csrf\" value=\"" + browser.csrf().toLatin1() + "\" />"));
    QVERIFY(r.body.contains("<button type=\"submit\">Continue</button>"));
    QVERIFY(!r.body.contains("role=\"alert\""));
    QVERIFY(!r.body.contains("<script>"));
}

void TstDeviceGrant::confirmationPage()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy granted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy approved(&ts->deviceCodes(), &DeviceCodeStore::deviceAuthorizationApproved);
    DeviceCodes codes;
    CHECKED(expectDeviceCodes(requestDeviceCode(http, "scope=write"), http.base() + kLegacyVerificationPath, &codes));
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath));
    const TestResponse r = browser.enterCode(codes.user);
    CHECKED(expectPage(r, 200));
    QVERIFY2(r.body.contains("<h1>Activate a device</h1>"), r.body.constData());
    QVERIFY(r.body.contains("<p id=\"question\">Do you allow &quot;tv-client&quot; on your device to access your "
                            "protected resources?</p>"));
    QVERIFY(r.body.contains("<p>Scopes:</p>"));
    QVERIFY(r.body.contains("<ul id=\"scopes\"><li>write</li></ul>"));
    QVERIFY(r.body.contains("<p id=\"check\" class=\"code\">Only approve if your device shows the code " +
                            codes.user.toLatin1() + ".</p>"));
    QVERIFY(r.body.contains("<input type=\"hidden\" name=\"user_code\" value=\"" + codes.user.toLatin1() + "\" />"));
    QVERIFY(r.body.contains("<input type=\"hidden\" name=\"_csrf\" value=\"" + browser.csrf().toLatin1() + "\" />"));
    QVERIFY(r.body.contains("<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>"));
    QVERIFY(r.body.contains("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>"));
    // Showing the request decides nothing.
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->status, DeviceAuthorization::Status::Pending);
    QCOMPARE(granted.size(), 0);
    QCOMPARE(approved.size(), 0);
}

void TstDeviceGrant::approve()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy granted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy denied(&ts->events(), &ServerEvents::approvalDenied);
    QSignalSpy approved(&ts->deviceCodes(), &DeviceCodeStore::deviceAuthorizationApproved);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    const quint64 flow = lastRecord(records).flowId;
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath + QStringLiteral("?user_code=") + codes.user));
    CHECKED(expectPage(browser.enterCode(codes.user), 200));
    const TestResponse r = browser.decide(codes.user, "approve");
    CHECKED(expectPage(r, 200));
    QVERIFY2(r.body.contains("<h1>Device activated</h1>"), r.body.constData());
    QVERIFY(r.body.contains("<p id=\"message\">&quot;tv-client&quot; on your device can now access your protected "
                            "resources. You can close this page.</p>"));
    QVERIFY(!r.body.contains("<form"));

    const DeviceAuthorization *a = ts->deviceCodes().findByDeviceCode(codes.device);
    QCOMPARE(a->status, DeviceAuthorization::Status::Approved);
    QCOMPARE(a->username, QStringLiteral("user"));
    QCOMPARE(approved.size(), 1);
    QCOMPARE(approved.at(0).at(0).value<DeviceAuthorization>().deviceCode, codes.device);
    QCOMPARE(granted.size(), 1);
    QCOMPARE(granted.at(0).at(0).toString(), kTv.id);
    QCOMPARE(granted.at(0).at(1).toString(), QStringLiteral("user"));
    QCOMPARE(granted.at(0).at(2).value<ScopeSet>().joined(), QStringLiteral("read write"));
    QCOMPARE(granted.at(0).at(3).value<ApprovalKind>(), ApprovalKind::UserApproved);
    QCOMPARE(granted.at(0).at(4).toULongLong(), flow);
    QCOMPARE(denied.size(), 0);
    const ExchangeRecord last = lastRecord(records);
    QCOMPARE(last.flowId, flow);
    QCOMPARE(last.clientId, kTv.id);
    QCOMPARE(last.username, QStringLiteral("user"));
}

void TstDeviceGrant::deny()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy granted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy denied(&ts->events(), &ServerEvents::approvalDenied);
    QSignalSpy deniedInStore(&ts->deviceCodes(), &DeviceCodeStore::deviceAuthorizationDenied);
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    const quint64 flow = ts->deviceCodes().findByDeviceCode(codes.device)->flowId;
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath));
    CHECKED(expectPage(browser.enterCode(codes.user), 200));
    const TestResponse r = browser.decide(codes.user, "deny");
    CHECKED(expectPage(r, 200));
    QVERIFY2(r.body.contains("<h1>Access denied</h1>"), r.body.constData());
    QVERIFY(r.body.contains(
        "<p id=\"message\">&quot;tv-client&quot; on your device was denied access. You can close this page.</p>"));
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->status, DeviceAuthorization::Status::Denied);
    QCOMPARE(deniedInStore.size(), 1);
    QCOMPARE(denied.size(), 1);
    QCOMPARE(denied.at(0).at(0).toString(), kTv.id);
    QCOMPARE(denied.at(0).at(1).toString(), QStringLiteral("user"));
    QCOMPARE(denied.at(0).at(2).toULongLong(), flow);
    QCOMPARE(granted.size(), 0);
}

void TstDeviceGrant::userCodeNormalisation_data()
{
    QTest::addColumn<QString>("typed"); // %1 is the user code as shown
    QTest::newRow("as shown") << QStringLiteral("%1");
    QTest::newRow("lower case") << QStringLiteral("%1:lower");
    QTest::newRow("without the dash") << QStringLiteral("%1:nodash");
    QTest::newRow("lower case, spaces around and inside") << QStringLiteral("%1:spaced");
}

void TstDeviceGrant::userCodeNormalisation()
{
    QFETCH(QString, typed);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    QString entered = codes.user;
    if (typed.endsWith(QLatin1String(":lower")))
        entered = entered.toLower();
    else if (typed.endsWith(QLatin1String(":nodash")))
        entered.remove(QLatin1Char('-'));
    else if (typed.endsWith(QLatin1String(":spaced")))
        entered =
            QStringLiteral("  ") + entered.toLower().replace(QLatin1Char('-'), QLatin1Char(' ')) + QStringLiteral(" ");
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath));
    const TestResponse r = browser.enterCode(entered);
    CHECKED(expectPage(r, 200));
    // The confirmation names the code as the device shows it, and carries it on.
    QVERIFY2(r.body.contains("Only approve if your device shows the code " + codes.user.toLatin1() + "."),
             r.body.constData());
    QVERIFY(r.body.contains("<input type=\"hidden\" name=\"user_code\" value=\"" + codes.user.toLatin1() + "\" />"));
    // Deciding with the typed form works too.
    CHECKED(expectPage(browser.decide(entered, "approve"), 200));
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->status, DeviceAuthorization::Status::Approved);
}

enum class Problem
{
    Empty,
    Unknown,
    Expired,
    Approved,
    Denied,
};

void TstDeviceGrant::codeProblems_data()
{
    QTest::addColumn<int>("problem");
    QTest::addColumn<QString>("typed"); // %1: the issued user code
    QTest::addColumn<QByteArray>("decision");
    QTest::addColumn<QString>("message");

    QTest::newRow("empty") << int(Problem::Empty) << QString() << QByteArray()
                           << QStringLiteral("Enter the code shown on your device.");
    QTest::newRow("only dashes") << int(Problem::Empty) << QStringLiteral("- -") << QByteArray()
                                 << QStringLiteral("Enter the code shown on your device.");
    QTest::newRow("unknown") << int(Problem::Unknown) << QStringLiteral("BBBB-BBBB") << QByteArray()
                             << QStringLiteral("The code \"BBBB-BBBB\" is not valid. Check the code shown on your "
                                               "device.");
    QTest::newRow("unknown, with markup") << int(Problem::Unknown) << QStringLiteral("<b>x</b>") << QByteArray()
                                          << QStringLiteral("The code \"<b>x</b>\" is not valid. Check the code shown "
                                                            "on your device.");
    QTest::newRow("expired") << int(Problem::Expired) << QStringLiteral("%1") << QByteArray()
                             << QStringLiteral("The code \"%1\" has expired. Start again on your device to get a "
                                               "new code.");
    QTest::newRow("expired, approving") << int(Problem::Expired) << QStringLiteral("%1") << QByteArray("approve")
                                        << QStringLiteral("The code \"%1\" has expired. Start again on your device to "
                                                          "get a new code.");
    QTest::newRow("already approved") << int(Problem::Approved) << QStringLiteral("%1") << QByteArray()
                                      << QStringLiteral("The code \"%1\" has already been used.");
    QTest::newRow("already approved, denying") << int(Problem::Approved) << QStringLiteral("%1") << QByteArray("deny")
                                               << QStringLiteral("The code \"%1\" has already been used.");
    QTest::newRow("already denied, approving") << int(Problem::Denied) << QStringLiteral("%1") << QByteArray("approve")
                                               << QStringLiteral("The code \"%1\" has already been used.");
}

void TstDeviceGrant::codeProblems()
{
    QFETCH(int, problem);
    QFETCH(QString, typed);
    QFETCH(QByteArray, decision);
    QFETCH(QString, message);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath));
    const DeviceAuthorization::Status before =
        Problem(problem) == Problem::Approved ? DeviceAuthorization::Status::Approved
        : Problem(problem) == Problem::Denied ? DeviceAuthorization::Status::Denied
                                              : DeviceAuthorization::Status::Pending;
    if (Problem(problem) == Problem::Approved || Problem(problem) == Problem::Denied)
        CHECKED(
            expectPage(browser.decide(codes.user, Problem(problem) == Problem::Approved ? "approve" : "deny"), 200));
    if (Problem(problem) == Problem::Expired)
        ts.clock().advanceSeconds(300);
    QSignalSpy granted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy denied(&ts->events(), &ServerEvents::approvalDenied);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);

    const QString entered = typed.contains(QLatin1String("%1")) ? typed.arg(codes.user) : typed;
    const TestResponse r = decision.isEmpty() ? browser.enterCode(entered)
                                              : browser.submit("user_code=" + enc(entered) + "&decision=" + decision);
    // The form again, with the problem named and what was typed kept.
    CHECKED(expectPage(r, 400));
    const QString expected = message.contains(QLatin1String("%1")) ? message.arg(codes.user) : message;
    QVERIFY2(r.body.contains(alertOf(expected)), r.body.constData());
    QVERIFY(r.body.contains(codeInput(entered)));
    QVERIFY(r.body.contains("<input type=\"hidden\" name=\"_csrf\""));
    QCOMPARE(lastRecord(records).debugDetail, expected);
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->status, before);
    QCOMPARE(granted.size() + denied.size(), 0);
}

void TstDeviceGrant::csrf_data()
{
    QTest::addColumn<QByteArray>("csrf"); // "-" leaves the field out
    QTest::addColumn<bool>("withSession");
    QTest::addColumn<QString>("message");
    const QString invalid = QStringLiteral("Invalid CSRF token found for /oauth/device_verification.");
    QTest::newRow("no _csrf") << QByteArray("-") << true << invalid;
    QTest::newRow("empty _csrf") << QByteArray("") << true << invalid;
    QTest::newRow("wrong _csrf") << QByteArray("00000000-0000-0000-0000-000000000000") << true << invalid;
    QTest::newRow("no session") << QByteArray("keep") << false
                                << QStringLiteral(
                                       "Could not verify the provided CSRF token because your session was not found.");
}

void TstDeviceGrant::csrf()
{
    QFETCH(QByteArray, csrf);
    QFETCH(bool, withSession);
    QFETCH(QString, message);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy granted(&ts->events(), &ServerEvents::approvalGranted);
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath));
    QByteArray form = "user_code=" + enc(codes.user) + "&decision=approve";
    if (csrf != "-")
        form += "&_csrf=" + (csrf == "keep" ? enc(browser.csrf()) : csrf);
    const TestResponse r = withSession ? browser.submitRaw(form) : http.postForm(kLegacyVerificationPath, form);
    CHECKED(expectPage(r, 403));
    QVERIFY2(r.body.contains("<h1>Forbidden</h1><p>" + message.toUtf8() + "</p>"), r.body.constData());
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->status, DeviceAuthorization::Status::Pending);
    QCOMPARE(granted.size(), 0);
    // The right token still works afterwards.
    CHECKED(expectPage(browser.decide(codes.user, "approve"), 200));
    QCOMPARE(granted.size(), 1);
}

void TstDeviceGrant::signedOutSubmissionComesBackAfterLogin()
{
    // A form submitted after the session's login ended (here: a session that never logged in) goes to the login
    // page and, once signed in, back to the form with the typed code.
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    VerificationBrowser browser(http);
    QCOMPARE(browser.get(QStringLiteral("/login")).status, 200); // an anonymous session with its CSRF token
    const TestResponse r = browser.decide(codes.user.toLower(), "approve");
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("Location"), QByteArray("/login"));
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->status, DeviceAuthorization::Status::Pending);
    QCOMPARE(browser.get(QStringLiteral("/login")).status, 200);
    const TestResponse login =
        http.postForm(QStringLiteral("/login"), "username=user&password=password&_csrf=" + enc(browser.csrf()),
                      HttpTestClient::cookie(browser.session()));
    QCOMPARE(login.status, 302);
    QCOMPARE(QString::fromUtf8(login.header("Location")),
             http.base() + kLegacyVerificationPath + QStringLiteral("?user_code=") + codes.user.toLower());
}

void TstDeviceGrant::unknownDecision()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath));
    const TestResponse r = browser.decide(codes.user, "maybe");
    CHECKED(expectPage(r, 400));
    QCOMPARE(r.body, QByteArray("<html><body><h1>OAuth Error</h1><p>error=&quot;invalid_request&quot;, "
                                "error_description=&quot;Unknown decision: maybe (approve or deny)&quot;</p></body>"
                                "</html>"));
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->status, DeviceAuthorization::Status::Pending);
}

void TstDeviceGrant::wholeFlow()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    QSignalSpy issuedTokens(&ts->tokens(), &TokenStore::tokenIssued);
    QSignalSpy redeemed(&ts->deviceCodes(), &DeviceCodeStore::deviceAuthorizationRedeemed);
    QSignalSpy logins(&ts->events(), &ServerEvents::loginSucceeded);
    QSignalSpy flows(&ts->flows(), &FlowTracker::flowStarted);

    // The device asks for codes and starts polling at once: the user has not decided.
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    const quint64 flow = ts->deviceCodes().findByDeviceCode(codes.device)->flowId;
    CHECKED(expectPollError(poll(http, codes.device), "authorization_pending", kPending));
    // The user opens verification_uri_complete, signs in, confirms and approves.
    ts.clock().advanceSeconds(5);
    CHECKED(expectPollError(poll(http, codes.device), "authorization_pending", kPending));
    CHECKED(approveOnThePage(http, codes));
    QCOMPARE(redeemed.size(), 0);
    QCOMPARE(issuedTokens.size(), 0);
    // The next poll, an interval later, gets the tokens.
    ts.clock().advanceSeconds(5);
    Tokens tokens;
    CHECKED(expectToken(poll(http, codes.device), &tokens, 43199, QStringLiteral("read write"), true));
    QCOMPARE(redeemed.size(), 1);
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->status, DeviceAuthorization::Status::Redeemed);
    QCOMPARE(issuedTokens.size(), 2); // refresh, then access
    for (int i = 0; i < 2; ++i) {
        const IssuedToken t = tokenAt(issuedTokens, i);
        QCOMPARE(t.clientId, kTv.id);
        QCOMPARE(t.username, QStringLiteral("user"));
        QCOMPARE(t.scopes.joined(), QStringLiteral("read write"));
        QCOMPARE(t.flowId, flow);
    }
    QCOMPARE(ts->tokens().findAccess(tokens.access)->username, QStringLiteral("user"));
    QCOMPARE(lastRecord(records).username, QStringLiteral("user"));
    // One flow from the device's first request to its tokens: every exchange of it, the browser's included.
    QCOMPARE(flows.size(), 1);
    QCOMPARE(logins.size(), 1);
    QCOMPARE(logins.at(0).at(1).toULongLong(), flow);
    const QList<ExchangeRecord> all = recordsOf(records);
    // The authorization, 2 polls, 4 to sign in on the page, the confirmation, the approval, the tokens.
    QCOMPARE(all.size(), 10);
    for (const ExchangeRecord &r : all)
        QVERIFY2(r.flowId == flow,
                 qPrintable(QStringLiteral("%1 %2: flow %3").arg(QString::fromLatin1(r.method), r.path).arg(r.flowId)));

    // Tokens once: the device code is used up.
    ts.clock().advanceSeconds(5);
    CHECKED(expectPollError(poll(http, codes.device), "invalid_grant", kInvalidDeviceCode));
    QCOMPARE(lastRecord(records).debugDetail, QStringLiteral("device code already redeemed"));
    QCOMPARE(issuedTokens.size(), 2);
    // The refresh token works like any other.
    BrowserFlow client(http, BrowserFlow::seedQuery(), kTv);
    CHECKED(expectToken(client.refresh(tokens.refresh), &tokens, 43199, QStringLiteral("read write"), true));
}

void TstDeviceGrant::pollingErrors_data()
{
    QTest::addColumn<QByteArray>("params"); // %DC%: the issued device code
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("challenge");
    QTest::addColumn<QString>("debugDetail");

    const QByteArray grant = "grant_type=" + enc(kDeviceGrant);
    const QByteArray missing = jsonError("invalid_request", QStringLiteral("A device code must be supplied."));
    const QByteArray invalid = jsonError("invalid_grant", kInvalidDeviceCode);
    QTest::newRow("no device_code") << grant << kTv.id << 400 << missing << QByteArray() << QString();
    QTest::newRow("empty device_code") << grant + "&device_code=" << kTv.id << 400 << missing << QByteArray()
                                       << QString();
    QTest::newRow("unknown device_code") << grant + "&device_code=nope" << kTv.id << 400 << invalid << QByteArray()
                                         << QStringLiteral("unknown device code");
    QTest::newRow("the user code is no device code") << grant + "&device_code=%UC%" << kTv.id << 400 << invalid
                                                     << QByteArray() << QStringLiteral("unknown device code");
    QTest::newRow("another client's device code")
        << grant + "&device_code=%DC%" << kOtherTv.id << 400 << invalid << QByteArray()
        << QStringLiteral("device code issued to client \"tv-client\"");
    QTest::newRow("repeated device_code")
        << grant + "&device_code=%DC%&device_code=%DC%" << kTv.id << 400
        << jsonError("invalid_request", QStringLiteral("Parameter device_code must not be provided more than once"))
        << QByteArray() << QString();
    // The token endpoint's own rule for a grant the client is not registered for (PROTOCOL.md).
    const QString unauthorized = QStringLiteral("Unauthorized grant type: ") + kDeviceGrant;
    QTest::newRow("client without the grant")
        << grant + "&device_code=%DC%" << QStringLiteral("messaging-client") << 401
        << jsonError("invalid_client", unauthorized) << bearerChallenge("invalid_client", unauthorized) << QString();
}

void TstDeviceGrant::pollingErrors()
{
    QFETCH(QByteArray, params);
    QFETCH(QString, clientId);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, challenge);
    QFETCH(QString, debugDetail);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    const ClientCredentials client = clientId == kTv.id        ? kTv
                                     : clientId == kOtherTv.id ? kOtherTv
                                                               : ClientCredentials{};
    params.replace("%DC%", enc(codes.device)).replace("%UC%", enc(codes.user));
    const TestResponse r = http.postForm(kTokenPath, params, HttpTestClient::basic(client.id, client.secret));
    CHECKED(expectJsonError(r, status, expected, challenge));
    if (!debugDetail.isNull())
        QCOMPARE(lastRecord(records).debugDetail, debugDetail);
    // None of these counts as the device's poll: its first one is in time.
    CHECKED(expectPollError(poll(http, codes.device), "authorization_pending", kPending));
}

void TstDeviceGrant::slowDownGrowsTheInterval()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    CHECKED(expectPollError(poll(http, codes.device), "authorization_pending", kPending));
    // RFC 8628 §3.5: sooner than the interval (5 s) is slow_down, and the interval grows by 5 s.
    ts.clock().advanceSeconds(4);
    CHECKED(expectPollError(poll(http, codes.device), "slow_down", slowDown(10)));
    // The old interval is now too fast (counted from the previous poll), and it grows again.
    ts.clock().advanceSeconds(5);
    CHECKED(expectPollError(poll(http, codes.device), "slow_down", slowDown(15)));
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->intervalSeconds, 15);
    // Waiting the grown interval is in time, again and again.
    ts.clock().advanceSeconds(15);
    CHECKED(expectPollError(poll(http, codes.device), "authorization_pending", kPending));
    ts.clock().advanceSeconds(15);
    CHECKED(expectPollError(poll(http, codes.device), "authorization_pending", kPending));
    ts.clock().advanceSeconds(14);
    CHECKED(expectPollError(poll(http, codes.device), "slow_down", slowDown(20)));
    // Once approved, the next poll in time gets the tokens.
    CHECKED(approveOnThePage(http, codes));
    ts.clock().advanceSeconds(20);
    Tokens tokens;
    CHECKED(expectToken(poll(http, codes.device), &tokens, 43199, QStringLiteral("read write"), true));
}

void TstDeviceGrant::expiry_data()
{
    QTest::addColumn<QByteArray>("decision"); // empty: none
    QTest::addColumn<int>("ageSeconds");
    QTest::addColumn<QByteArray>("error"); // empty: tokens
    QTest::addColumn<QString>("description");
    const QString expired = QStringLiteral("The device code has expired");
    QTest::newRow("pending, 1 s before expiry")
        << QByteArray() << 299 << QByteArray("authorization_pending") << kPending;
    QTest::newRow("pending, at expiry") << QByteArray() << 300 << QByteArray("expired_token") << expired;
    QTest::newRow("pending, just before the purge") << QByteArray() << 899 << QByteArray("expired_token") << expired;
    // Purged 10 minutes after expiry: then as unknown as a code never issued.
    QTest::newRow("pending, purged") << QByteArray() << 900 << QByteArray("invalid_grant") << kInvalidDeviceCode;
    QTest::newRow("approved, 1 s before expiry") << QByteArray("approve") << 299 << QByteArray() << QString();
    QTest::newRow("approved, at expiry") << QByteArray("approve") << 300 << QByteArray("expired_token") << expired;
    QTest::newRow("denied, at expiry") << QByteArray("deny") << 300 << QByteArray("expired_token") << expired;
}

void TstDeviceGrant::expiry()
{
    QFETCH(QByteArray, decision);
    QFETCH(int, ageSeconds);
    QFETCH(QByteArray, error);
    QFETCH(QString, description);
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    if (!decision.isEmpty()) {
        VerificationBrowser browser(http);
        CHECKED(browser.signIn(kLegacyVerificationPath));
        CHECKED(expectPage(browser.decide(codes.user, decision.constData()), 200));
    }
    ts.clock().advanceSeconds(ageSeconds);
    // The server's minute purge keeps an expired authorization for a while: a late poll still learns why.
    ts->purgeExpired();
    const TestResponse r = poll(http, codes.device);
    if (error.isEmpty()) {
        Tokens tokens;
        CHECKED(expectToken(r, &tokens, 43199, QStringLiteral("read write"), true));
    } else {
        CHECKED(expectPollError(r, error.constData(), description));
    }
}

void TstDeviceGrant::denial()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    QSignalSpy issuedTokens(&ts->tokens(), &TokenStore::tokenIssued);
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    VerificationBrowser browser(http);
    CHECKED(browser.signIn(kLegacyVerificationPath));
    CHECKED(expectPage(browser.decide(codes.user, "deny"), 200));
    const QString denied = QStringLiteral("The user denied the authorization request");
    // RFC 8628 §3.5: access_denied, as a token endpoint error (400, no challenge), for every later poll too.
    CHECKED(expectPollError(poll(http, codes.device), "access_denied", denied));
    ts.clock().advanceSeconds(5);
    CHECKED(expectPollError(poll(http, codes.device), "access_denied", denied));
    QCOMPARE(issuedTokens.size(), 0);
}

void TstDeviceGrant::anotherClientsPollLeavesThePaceAlone()
{
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(obtainDeviceCodes(http, &codes));
    CHECKED(expectPollError(poll(http, codes.device), "authorization_pending", kPending));
    ts.clock().advanceSeconds(5);
    for (int i = 0; i < 3; ++i)
        CHECKED(expectPollError(poll(http, codes.device, kOtherTv), "invalid_grant", kInvalidDeviceCode));
    CHECKED(expectPollError(poll(http, codes.device), "authorization_pending", kPending));
    QCOMPARE(ts->deviceCodes().findByDeviceCode(codes.device)->intervalSeconds, 5);
    // Nor can it take the tokens once approved.
    CHECKED(approveOnThePage(http, codes));
    CHECKED(expectPollError(poll(http, codes.device, kOtherTv), "invalid_grant", kInvalidDeviceCode));
    ts.clock().advanceSeconds(5);
    Tokens tokens;
    CHECKED(expectToken(poll(http, codes.device), &tokens, 43199, QStringLiteral("read write"), true));
}

void TstDeviceGrant::publicClientGetsNoRefreshToken()
{
    // A public client holding the refresh_token grant gets no refresh token without the opt-in (as in the code flow).
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(expectDeviceCodes(http.postForm(kLegacyAuthorizationPath, "client_id=" + enc(kPublicTv)),
                              http.base() + kLegacyVerificationPath, &codes));
    CHECKED(approveOnThePage(http, codes));
    const TestResponse r =
        http.postForm(kTokenPath, "grant_type=" + enc(kDeviceGrant) + "&device_code=" + enc(codes.device) +
                                      "&client_id=" + enc(kPublicTv));
    Tokens tokens;
    CHECKED(expectToken(r, &tokens, 43199, QStringLiteral("read write"), false));
}

void TstDeviceGrant::scopeParameterIsIgnored()
{
    // The scope is what the device asked for and the user approved; a scope parameter on the poll changes nothing
    // (the token endpoint still refuses one outside the client's scopes).
    TestServer ts(deviceSettings());
    HttpTestClient http(ts.port());
    DeviceCodes codes;
    CHECKED(expectDeviceCodes(requestDeviceCode(http, "scope=read"), http.base() + kLegacyVerificationPath, &codes));
    CHECKED(approveOnThePage(http, codes));
    const QByteArray params = "grant_type=" + enc(kDeviceGrant) + "&device_code=" + enc(codes.device);
    CHECKED(expectJsonError(
        http.postForm(kTokenPath, params + "&scope=admin", HttpTestClient::basic(kTv.id, kTv.secret)), 400,
        "{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scope: admin\","
        "\"scope\":\"read write\"}"));
    Tokens tokens;
    CHECKED(expectToken(http.postForm(kTokenPath, params + "&scope=write", HttpTestClient::basic(kTv.id, kTv.secret)),
                        &tokens, 43199, QStringLiteral("read"), true));
}

void TstDeviceGrant::springAuthorizationServerPaths()
{
    TestServer ts(deviceSettings(ProfileId::SpringAuthorizationServer));
    HttpTestClient http(ts.port());
    const QString authorizationPath = QStringLiteral("/oauth2/device_authorization");
    const QString verificationPath = QStringLiteral("/oauth2/device_verification");
    QCOMPARE(ts->settings().profileDescription().paths.deviceAuthorization, authorizationPath);
    QCOMPARE(ts->settings().profileDescription().paths.deviceVerification, verificationPath);

    DeviceCodes codes;
    // Spring Authorization Server's device codes: 96 random bytes, base64url (128 characters).
    const TestResponse r = requestDeviceCode(http, {}, kTv, authorizationPath);
    QVERIFY2(r.status == 200, r.body.constData());
    CHECKED(expectJsonHeaders(r));
    const QJsonObject json = r.json();
    codes = {json.value(QLatin1String("device_code")).toString(), json.value(QLatin1String("user_code")).toString(),
             json.value(QLatin1String("verification_uri")).toString(),
             json.value(QLatin1String("verification_uri_complete")).toString()};
    QVERIFY2(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{128}$")).match(codes.device).hasMatch(),
             qPrintable(codes.device));
    QCOMPARE(codes.uri, http.base() + verificationPath);
    QCOMPARE(codes.complete, http.base() + verificationPath + QStringLiteral("?user_code=") + codes.user);
    QCOMPARE(r.body, deviceAuthorizationBody(codes));
    // The legacy paths are not this profile's.
    QCOMPARE(requestDeviceCode(http).status, 404);
    QCOMPARE(http.get(kLegacyVerificationPath).status, 404);
    // Errors carry the RFC's codes (the body's detail is the profile's business).
    const TestResponse refused =
        requestDeviceCode(http, {}, {QStringLiteral("messaging-client"), QStringLiteral("secret")}, authorizationPath);
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.body, QByteArray("{\"error\":\"unauthorized_client\"}"));

    const TestResponse pending = poll(http, codes.device, kTv, QStringLiteral("/oauth2/token"));
    QCOMPARE(pending.status, 400);
    // The profile's error shape: the code alone.
    QCOMPARE(pending.body, QByteArray("{\"error\":\"authorization_pending\"}"));
    VerificationBrowser browser(http, verificationPath);
    CHECKED(browser.signIn(verificationPath + QStringLiteral("?user_code=") + codes.user));
    const TestResponse form = browser.get(verificationPath + QStringLiteral("?user_code=") + codes.user);
    QVERIFY(form.body.contains("action=\"/oauth2/device_verification\""));
    const TestResponse confirmation = browser.enterCode(codes.user);
    CHECKED(expectPage(confirmation, 200));
    QVERIFY(confirmation.body.contains("action=\"/oauth2/device_verification\""));
    CHECKED(expectPage(browser.decide(codes.user, "approve"), 200));
    ts.clock().advanceSeconds(5);
    const TestResponse tokens = poll(http, codes.device, kTv, QStringLiteral("/oauth2/token"));
    QVERIFY2(tokens.status == 200, tokens.body.constData());
    QVERIFY(!tokens.json().value(QLatin1String("access_token")).toString().isEmpty());
}

QTEST_GUILESS_MAIN(TstDeviceGrant)
#include "tst_devicegrant.moc"
