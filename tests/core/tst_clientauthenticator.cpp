#include "auth/ClientAuthenticator.h"

#include "auth/ConstantTime.h"
#include "store/ClientStore.h"

#include <QTest>

using namespace oauthsim;

Q_DECLARE_METATYPE(oauthsim::AuthChallenge)

namespace {

Client makeClient(const QString &id, const QString &secret)
{
    Client c;
    c.id = id;
    c.secret = secret;
    c.redirectUris = {QStringLiteral("http://localhost")};
    c.scopes = ScopeSet::parse(u"read write");
    c.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken;
    return c;
}

QByteArray basic(const QByteArray &credentials)
{
    return "Basic " + credentials.toBase64();
}

const char *challengeName(AuthChallenge c)
{
    switch (c) {
    case AuthChallenge::None:
        return "None";
    case AuthChallenge::Basic:
        return "Basic";
    case AuthChallenge::Form:
        return "Form";
    case AuthChallenge::Bearer:
        return "Bearer";
    }
    return "?";
}

} // namespace

class tst_ClientAuthenticator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void authenticate_data();
    void authenticate();
    void constantTimeEquals_data();
    void constantTimeEquals();

private:
    ClientStore m_clients;
};

void tst_ClientAuthenticator::initTestCase()
{
    m_clients.upsert(makeClient(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    m_clients.upsert(makeClient(QStringLiteral("public-client"), QString()));
    m_clients.upsert(makeClient(QStringLiteral("my client"), QStringLiteral("p+s%w:rd")));
    m_clients.upsert(makeClient(QStringLiteral("\u4e2d-client"), QStringLiteral("s\u00e9cret")));
    // One client per token_endpoint_auth_method.
    Client spa = makeClient(QStringLiteral("spa"), QString());
    spa.authMethod = ClientAuthMethod::None;
    m_clients.upsert(spa);
    Client basicOnly = makeClient(QStringLiteral("basic-client"), QStringLiteral("basic-secret"));
    basicOnly.authMethod = ClientAuthMethod::Basic;
    m_clients.upsert(basicOnly);
    Client postOnly = makeClient(QStringLiteral("post-client"), QStringLiteral("post-secret"));
    postOnly.authMethod = ClientAuthMethod::Post;
    m_clients.upsert(postOnly);
    QCOMPARE(m_clients.all().size(), 7);
}

void tst_ClientAuthenticator::authenticate_data()
{
    QTest::addColumn<QByteArray>("authorization"); // null = no Authorization header
    QTest::addColumn<QByteArray>("params");        // urlencoded client parameters
    QTest::addColumn<QString>("clientId");         // empty = authentication fails
    QTest::addColumn<bool>("viaBasic");
    QTest::addColumn<QString>("description");
    QTest::addColumn<AuthChallenge>("challenge");

    const QString mc = QStringLiteral("messaging-client");
    const QString bad = QStringLiteral("Bad client credentials");

    // --- HTTP Basic
    QTest::newRow("Basic ok") << basic("messaging-client:secret") << QByteArray() << mc << true << QString()
                              << AuthChallenge::None;
    QTest::newRow("Basic scheme is case-insensitive") << "basic " + QByteArray("messaging-client:secret").toBase64()
                                                      << QByteArray() << mc << true << QString() << AuthChallenge::None;
    QTest::newRow("Basic with percent-encoded id (openid-client)")
        << basic("messaging%2Dclient:secret") << QByteArray() << mc << true << QString() << AuthChallenge::None;
    QTest::newRow("Basic with form-encoded id and secret")
        << basic("my+client:p%2Bs%25w%3Ard") << QByteArray() << QStringLiteral("my client") << true << QString()
        << AuthChallenge::None;
    QTest::newRow("Basic with a colon in the secret (only the first colon splits)")
        << basic("my%20client:p%2Bs%25w:rd") << QByteArray() << QStringLiteral("my client") << true << QString()
        << AuthChallenge::None;
    QTest::newRow("Basic with UTF-8 credentials")
        << basic("\xe4\xb8\xad-client:s\xc3\xa9"
                 "cret")
        << QByteArray() << QStringLiteral("\u4e2d-client") << true << QString() << AuthChallenge::None;
    QTest::newRow("Basic with empty secret")
        << basic("public-client:") << QByteArray() << QStringLiteral("public-client") << true << QString()
        << AuthChallenge::None;
    QTest::newRow("Basic with matching client_id param")
        << basic("messaging-client:secret") << QByteArray("client_id=messaging-client") << mc << true << QString()
        << AuthChallenge::None;
    QTest::newRow("Basic wins over a wrong client_secret param")
        << basic("messaging-client:secret") << QByteArray("client_secret=wrong") << mc << true << QString()
        << AuthChallenge::None;
    QTest::newRow("Basic wrong secret") << basic("messaging-client:wrong") << QByteArray() << QString() << true << bad
                                        << AuthChallenge::Basic;
    QTest::newRow("Basic secret is case-sensitive")
        << basic("messaging-client:SECRET") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("Basic secret prefix") << basic("messaging-client:secre") << QByteArray() << QString() << true << bad
                                         << AuthChallenge::Basic;
    QTest::newRow("Basic unknown client")
        << basic("nobody:secret") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("Basic empty secret for a client that has one")
        << basic("messaging-client:") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("Basic malformed base64")
        << QByteArray("Basic !!!not-base64***") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("Basic without colon") << basic("messaging-client") << QByteArray() << QString() << true << bad
                                         << AuthChallenge::Basic;
    QTest::newRow("Basic with nothing after the scheme")
        << QByteArray("Basic ") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("Basic wrong, even with right params")
        << basic("messaging-client:wrong") << QByteArray("client_id=messaging-client&client_secret=secret") << QString()
        << true << bad << AuthChallenge::Basic;

    // --- parameters
    QTest::newRow("params ok") << QByteArray() << QByteArray("client_id=messaging-client&client_secret=secret") << mc
                               << false << QString() << AuthChallenge::None;
    QTest::newRow("params decoded") << QByteArray() << QByteArray("client_id=my+client&client_secret=p%2Bs%25w%3Ard")
                                    << QStringLiteral("my client") << false << QString() << AuthChallenge::None;
    QTest::newRow("missing secret = empty (client with empty secret)")
        << QByteArray() << QByteArray("client_id=public-client") << QStringLiteral("public-client") << false
        << QString() << AuthChallenge::None;
    QTest::newRow("empty secret param (client with empty secret)")
        << QByteArray() << QByteArray("client_id=public-client&client_secret=") << QStringLiteral("public-client")
        << false << QString() << AuthChallenge::None;
    QTest::newRow("missing secret for a client that has one")
        << QByteArray() << QByteArray("client_id=messaging-client") << QString() << false << bad << AuthChallenge::Form;
    QTest::newRow("params wrong secret") << QByteArray() << QByteArray("client_id=messaging-client&client_secret=wrong")
                                         << QString() << false << bad << AuthChallenge::Form;
    QTest::newRow("params unknown client") << QByteArray() << QByteArray("client_id=nobody&client_secret=secret")
                                           << QString() << false << bad << AuthChallenge::Form;
    QTest::newRow("params empty client_id") << QByteArray() << QByteArray("client_id=&client_secret=secret")
                                            << QString() << false << bad << AuthChallenge::Form;

    // --- nothing, or an Authorization header that is not Basic
    QTest::newRow("no auth at all") << QByteArray() << QByteArray() << QString() << false << bad
                                    << AuthChallenge::Basic;
    QTest::newRow("only a secret param") << QByteArray() << QByteArray("client_secret=secret") << QString() << false
                                         << bad << AuthChallenge::Basic;
    QTest::newRow("Bearer header, no params")
        << QByteArray("Bearer abc") << QByteArray() << QString() << false << bad << AuthChallenge::Basic;

    // --- token_endpoint_auth_method. A public client ("none") by client_id alone; a non-empty secret or HTTP Basic
    // is refused, and so is the method a client_secret_basic / client_secret_post client did not register.
    const QString spa = QStringLiteral("spa");
    QTest::newRow("none: client_id only")
        << QByteArray() << QByteArray("client_id=spa") << spa << false << QString() << AuthChallenge::None;
    QTest::newRow("none: empty client_secret") << QByteArray() << QByteArray("client_id=spa&client_secret=") << spa
                                               << false << QString() << AuthChallenge::None;
    QTest::newRow("none: a client_secret") << QByteArray() << QByteArray("client_id=spa&client_secret=wrong")
                                           << QString() << false << bad << AuthChallenge::Form;
    QTest::newRow("none: Basic with the empty secret")
        << basic("spa:") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("none: Basic with a secret")
        << basic("spa:wrong") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("none: Basic and the client_id parameter")
        << basic("spa:") << QByteArray("client_id=spa") << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("client_secret_basic: Basic ok")
        << basic("basic-client:basic-secret") << QByteArray() << QStringLiteral("basic-client") << true << QString()
        << AuthChallenge::None;
    QTest::newRow("client_secret_basic: Basic wrong secret")
        << basic("basic-client:wrong") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;
    QTest::newRow("client_secret_basic: right secret as parameters")
        << QByteArray() << QByteArray("client_id=basic-client&client_secret=basic-secret") << QString() << false << bad
        << AuthChallenge::Form;
    QTest::newRow("client_secret_basic: client_id parameter only")
        << QByteArray() << QByteArray("client_id=basic-client") << QString() << false << bad << AuthChallenge::Form;
    QTest::newRow("client_secret_post: parameters ok")
        << QByteArray() << QByteArray("client_id=post-client&client_secret=post-secret")
        << QStringLiteral("post-client") << false << QString() << AuthChallenge::None;
    QTest::newRow("client_secret_post: parameters wrong secret")
        << QByteArray() << QByteArray("client_id=post-client&client_secret=wrong") << QString() << false << bad
        << AuthChallenge::Form;
    QTest::newRow("client_secret_post: right secret by Basic")
        << basic("post-client:post-secret") << QByteArray() << QString() << true << bad << AuthChallenge::Basic;

    // --- Basic and a different client_id parameter: raised inside Spring's TokenEndpoint after Basic succeeded,
    // so its exception translator answers with a Bearer challenge like every other 401.
    QTest::newRow("client_id param mismatch with Basic")
        << basic("messaging-client:secret") << QByteArray("client_id=public-client") << QString() << true
        << QStringLiteral("Given client ID does not match authenticated client") << AuthChallenge::Bearer;
}

void tst_ClientAuthenticator::authenticate()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, params);
    QFETCH(QString, clientId);
    QFETCH(bool, viaBasic);
    QFETCH(QString, description);
    QFETCH(AuthChallenge, challenge);

    HttpRequest request;
    request.method = "POST";
    request.path = QStringLiteral("/oauth/token");
    request.headers.append(qMakePair(QByteArray("content-type"), QByteArray("application/x-www-form-urlencoded")));
    if (!authorization.isNull())
        request.headers.append(qMakePair(QByteArray("authorization"), authorization));
    request.body = params;
    const auto parsed = FormParser::parse(params);
    QVERIFY(parsed.has_value());

    const ClientAuthenticator authenticator(m_clients);
    const Result<ClientAuthenticator::Authenticated> r = authenticator.authenticate(request, *parsed);
    if (!clientId.isEmpty()) {
        QVERIFY2(r.ok(),
                 r.ok() ? "" : qPrintable(r.error().description() + QStringLiteral(" / ") + r.error().debugDetail()));
        QVERIFY(r->client);
        QCOMPARE(r->client->id, clientId);
        QCOMPARE(r->viaBasic, viaBasic);
        return;
    }
    QVERIFY2(!r.ok(), r.ok() ? qPrintable(r->client->id) : "");
    const OAuthError &e = r.error();
    QCOMPARE(e.codeName(), QByteArray("invalid_client"));
    QCOMPARE(e.httpStatus(), 401);
    QCOMPARE(e.description(), description);
    QVERIFY(e.extra().isEmpty());
    QCOMPARE(challengeName(e.challenge()), challengeName(challenge));
    // The presented secret never lands in the debug detail (it goes to the request log).
    QVERIFY2(!e.debugDetail().contains(QLatin1String("wrong")), qPrintable(e.debugDetail()));
    QVERIFY2(!e.debugDetail().contains(QLatin1String("SECRET")), qPrintable(e.debugDetail()));
}

void tst_ClientAuthenticator::constantTimeEquals_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("equal");

    QTest::newRow("equal") << QStringLiteral("secret") << QStringLiteral("secret") << true;
    QTest::newRow("different last character") << QStringLiteral("secret") << QStringLiteral("secreT") << false;
    QTest::newRow("different first character") << QStringLiteral("secret") << QStringLiteral("Secret") << false;
    QTest::newRow("different length") << QStringLiteral("secret") << QStringLiteral("secret1") << false;
    QTest::newRow("prefix") << QStringLiteral("sec") << QStringLiteral("secret") << false;
    QTest::newRow("prefix, other order") << QStringLiteral("secret") << QStringLiteral("sec") << false;
    QTest::newRow("both empty") << QString() << QString() << true;
    QTest::newRow("null and empty") << QString() << QStringLiteral("") << true;
    QTest::newRow("empty vs non-empty") << QString() << QStringLiteral("secret") << false;
    QTest::newRow("non-empty vs empty") << QStringLiteral("secret") << QString() << false;
    QTest::newRow("trailing NUL is not ignored")
        << QStringLiteral("secret") << QString::fromUtf8("secret\0", 7) << false;
    QTest::newRow("UTF-8 equal") << QStringLiteral("s\u00e9cret\u4e2d") << QStringLiteral("s\u00e9cret\u4e2d") << true;
    QTest::newRow("UTF-8 different") << QStringLiteral("s\u00e9cret") << QStringLiteral("secret") << false;
}

void tst_ClientAuthenticator::constantTimeEquals()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, equal);
    QCOMPARE(oauthsim::constantTimeEquals(a, b), equal);
    QCOMPARE(oauthsim::constantTimeEquals(b, a), equal);
}

QTEST_GUILESS_MAIN(tst_ClientAuthenticator)
#include "tst_clientauthenticator.moc"
