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

const ClientCredentials kTv{QStringLiteral("tv-client"), QStringLiteral("tv-secret")};
const ClientCredentials kOtherTv{QStringLiteral("other-tv"), QStringLiteral("other-secret")};
const QString kPublicTv = QStringLiteral("public-tv");
const QString kLegacyAuthorizationPath = QStringLiteral("/oauth/device_authorization");
const QString kLegacyVerificationPath = QStringLiteral("/oauth/device_verification");
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

QTEST_GUILESS_MAIN(TstDeviceGrant)
#include "tst_devicegrant.moc"
