#include "BrowserFlow.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace oauthsim::test {

QString csrfOf(const QByteArray &html)
{
    static const QRegularExpression re(QStringLiteral("<input(?=[^>]*\\bname=\"_csrf\")[^>]*\\bvalue=\"([^\"]*)\""));
    const QRegularExpressionMatch m = re.match(QString::fromUtf8(html));
    return m.hasMatch() ? m.captured(1) : QString();
}

QString codeOf(const TestResponse &redirect)
{
    static const QRegularExpression re(QStringLiteral("^http://localhost\\?code=([^&]+)"));
    const QRegularExpressionMatch m = re.match(QString::fromUtf8(redirect.header("Location")));
    return m.hasMatch() ? m.captured(1) : QString();
}

namespace {
QString formDecode(QByteArray raw)
{
    raw.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(raw));
}
} // namespace

QList<QPair<QString, QString>> queryItems(const QByteArray &location)
{
    QList<QPair<QString, QString>> out;
    const qsizetype q = location.indexOf('?');
    if (q < 0)
        return out;
    for (const QByteArray &pair : location.mid(q + 1).split('&')) {
        const qsizetype eq = pair.indexOf('=');
        out.append({formDecode(pair.left(eq)), eq < 0 ? QString() : formDecode(pair.mid(eq + 1))});
    }
    return out;
}

QString BrowserFlow::seedQuery()
{
    return QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http://localhost");
}

BrowserFlow::BrowserFlow(HttpTestClient &http, const QString &authorizeQuery, const ClientCredentials &client)
    : m_http(http), m_query(authorizeQuery), m_client(client)
{}

BrowserFlow::BrowserFlow(quint16 port, const QString &authorizeQuery, const ClientCredentials &client)
    : m_ownHttp(std::make_unique<HttpTestClient>(port)), m_http(*m_ownHttp), m_query(authorizeQuery), m_client(client)
{}

TestResponse BrowserFlow::keep(const TestResponse &r)
{
    if (!r.sessionCookie().isEmpty())
        m_session = r.sessionCookie();
    return r;
}

HttpTestClient::Headers BrowserFlow::cookie() const
{
    return m_session.isEmpty() ? HttpTestClient::Headers{} : HttpTestClient::cookie(m_session);
}

TestResponse BrowserFlow::startAuthorize()
{
    const TestResponse r = m_http.get(authorizePath());
    m_session = r.sessionCookie();
    return r;
}

TestResponse BrowserFlow::loginPage()
{
    const TestResponse r = keep(m_http.get(QStringLiteral("/login"), cookie()));
    m_csrf = csrfOf(r.body);
    return r;
}

TestResponse BrowserFlow::submitLogin(const QString &username, const QString &password)
{
    return keep(m_http.postForm(QStringLiteral("/login"),
                                "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(m_csrf),
                                cookie()));
}

TestResponse BrowserFlow::authorize()
{
    const TestResponse r = keep(m_http.get(authorizePath(), cookie()));
    m_csrf = csrfOf(r.body);
    if (const QString code = codeOf(r); !code.isEmpty())
        m_code = code;
    return r;
}

TestResponse BrowserFlow::approve(const QStringList &approved)
{
    QByteArray form = "user_oauth_approval=true";
    for (const QString &scope : {QStringLiteral("read"), QStringLiteral("write")})
        form += "&scope." + scope.toUtf8() + (approved.contains(scope) ? "=true" : "=false");
    form += "&_csrf=" + enc(m_csrf) + "&authorize=Authorize";
    const TestResponse r = keep(m_http.postForm(QStringLiteral("/oauth/authorize"), form, cookie()));
    if (const QString code = codeOf(r); !code.isEmpty())
        m_code = code;
    return r;
}

namespace {
// POSTs `params` to the token endpoint as `client`; the tokens of a 200 answer go to *tokens.
TestResponse postToken(HttpTestClient &http, QByteArray params, const ClientCredentials &client, Tokens *tokens)
{
    HttpTestClient::Headers headers;
    if (client.inBody)
        params += "&client_id=" + enc(client.id) + "&client_secret=" + enc(client.secret);
    else
        headers = HttpTestClient::basic(client.id, client.secret);
    const TestResponse r = http.postForm(QStringLiteral("/oauth/token"), params, headers);
    if (r.status == 200) {
        const QJsonObject json = r.json();
        *tokens = {json.value(QLatin1String("access_token")).toString(),
                   json.value(QLatin1String("refresh_token")).toString(),
                   json.value(QLatin1String("expires_in")).toInt()};
    }
    return r;
}
} // namespace

TestResponse BrowserFlow::exchangeCode(const QString &code)
{
    return postToken(m_http, "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=http%3A%2F%2Flocalhost",
                     m_client, &m_tokens);
}

TestResponse BrowserFlow::refresh(const QString &refreshToken)
{
    return postToken(m_http, "grant_type=refresh_token&refresh_token=" + enc(refreshToken), m_client, &m_tokens);
}

TestResponse BrowserFlow::logInAnswer(const QString &username, const QString &password)
{
    startAuthorize();
    loginPage();
    return submitLogin(username, password);
}

QString BrowserFlow::logIn(const QString &username, const QString &password)
{
    const TestResponse r = logInAnswer(username, password);
    return r.status == 302 && !r.header("Location").endsWith("/login?error") ? r.sessionCookie() : QString();
}

QString BrowserFlow::authorizeCode()
{
    TestResponse r = authorize();
    if (r.status == 200)
        r = approve();
    return r.status == 303 ? codeOf(r) : QString();
}

Tokens BrowserFlow::codeFlow()
{
    const QString code = authorizeCode();
    if (code.isEmpty())
        return {};
    return exchangeCode(code).status == 200 ? m_tokens : Tokens{};
}

void BrowserFlow::start()
{
    const TestResponse first = startAuthorize();
    QCOMPARE(first.status, 302);
    QCOMPARE(first.header("Location"), QByteArray("/login"));
    QVERIFY(!first.sessionCookie().isEmpty());
    QCOMPARE(loginPage().status, 200);
    QVERIFY(!m_csrf.isEmpty());
}

void BrowserFlow::signIn()
{
    CHECKED(start());
    const TestResponse login = submitLogin();
    QCOMPARE(login.status, 302);
    QCOMPARE(QString::fromUtf8(login.header("Location")), m_http.base() + authorizePath());
    QVERIFY(!login.sessionCookie().isEmpty());
}

void BrowserFlow::obtainCode(const QStringList &approved)
{
    CHECKED(signIn());
    TestResponse r = authorize();
    if (r.status != 303) { // neither autoapproved nor remembered: the approval page
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("<h1>OAuth Approval</h1>"));
        QVERIFY(!m_csrf.isEmpty());
        r = approve(approved);
        QCOMPARE(r.status, 303);
    }
    QVERIFY2(r.header("Location").startsWith("http://localhost?code="), r.header("Location").constData());
    QCOMPARE(codeOf(r).size(), 6);
}

void BrowserFlow::runToToken(const QString &password)
{
    QCOMPARE(startAuthorize().status, 302);
    QCOMPARE(loginPage().status, 200);
    QCOMPARE(submitLogin(QStringLiteral("user"), password).status, 302);
    QCOMPARE(authorize().status, 200);
    QCOMPARE(approve().status, 303);
    QCOMPARE(exchangeCode(m_code).status, 200);
}

void BrowserFlow::runAll()
{
    CHECKED(runToToken());
    QCOMPARE(refresh(m_tokens.refresh).status, 200);
}

} // namespace oauthsim::test
