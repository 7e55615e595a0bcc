#pragma once

#include "Checks.h"
#include "HttpTestClient.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>

namespace oauthsim::test {

// The value of the hidden _csrf input of a form page, or a null string when there is none.
QString csrfOf(const QByteArray &html);

// The code of a redirect to the seed's redirect URI (Location: http://localhost?code=<code>[&...]), or a null
// string for any other answer.
QString codeOf(const TestResponse &redirect);

// The parameters of a redirect's Location query, in order, form-decoded ('+' is a space) as browsers'
// URLSearchParams do; a parameter without '=' has a null value.
QList<QPair<QString, QString>> queryItems(const QByteArray &location);

// How the client application authenticates at the token endpoint.
struct ClientCredentials
{
    QString id = QStringLiteral("messaging-client");
    QString secret = QStringLiteral("secret");
    bool inBody = false; // client_id and client_secret as the last form parameters instead of HTTP Basic
};

// One browser walking the seed's authorization code flow for one authorize request, and its client application
// redeeming the code (steps 7 and 8). Like the browser, it keeps what the next step needs: the JSESSIONID (the
// newest one an answer set), the _csrf of the last form page and the last code and tokens it received. The step
// methods send exactly one request each and assert nothing; the composite ones below them say what they check.
class BrowserFlow
{
public:
    // response_type=code&client_id=messaging-client&redirect_uri=http://localhost
    static QString seedQuery();

    // A browser sending its requests with `http`.
    explicit BrowserFlow(HttpTestClient &http, const QString &authorizeQuery = seedQuery(),
                         const ClientCredentials &client = {});
    // A browser with its own HttpTestClient (and so its own connections) to 127.0.0.1:`port`.
    explicit BrowserFlow(quint16 port, const QString &authorizeQuery = seedQuery(),
                         const ClientCredentials &client = {});

    QString authorizePath() const { return QStringLiteral("/oauth/authorize?") + m_query; }
    QString session() const { return m_session; }
    QString csrf() const { return m_csrf; }
    QString code() const { return m_code; }
    Tokens tokens() const { return m_tokens; }

    // Step 1: GET authorizePath() without a cookie; the session becomes the one the answer sets (302 to /login).
    TestResponse startAuthorize();
    // Step 2: GET /login on the session (none yet: without a cookie); keeps the form's _csrf.
    TestResponse loginPage();
    // Step 3: POST /login with username, password and the kept _csrf, in that order.
    TestResponse submitLogin(const QString &username = QStringLiteral("user"),
                             const QString &password = QStringLiteral("password"));
    // Step 4 (and 6 when no approval is asked): GET authorizePath() on the session; keeps the _csrf of the page
    // (null when there is none) and the code of a redirect.
    TestResponse authorize();
    // Steps 5 and 6: POST /oauth/authorize with user_oauth_approval=true, scope.read and scope.write true when
    // listed in `approved` and false otherwise, and the kept _csrf; keeps the code of the redirect.
    TestResponse approve(const QStringList &approved = {QStringLiteral("read"), QStringLiteral("write")});
    // Step 7: POST /oauth/token, grant_type=authorization_code with `code` and redirect_uri=http://localhost, as
    // the client given to the constructor; keeps the tokens of a 200 answer.
    TestResponse exchangeCode(const QString &code);
    // Step 8: POST /oauth/token, grant_type=refresh_token with `refreshToken`, as the client; keeps the tokens of
    // a 200 answer.
    TestResponse refresh(const QString &refreshToken);

    // Steps 1–3, asserting nothing: the answer to the POST /login.
    TestResponse logInAnswer(const QString &username = QStringLiteral("user"),
                             const QString &password = QStringLiteral("password"));
    // Steps 1–3, asserting nothing: the logged-in session id, or a null string when the login failed.
    QString logIn(const QString &username = QStringLiteral("user"),
                  const QString &password = QStringLiteral("password"));
    // Steps 4–6 on the session, approving read and write when asked, asserting nothing: the code, or a null
    // string.
    QString authorizeCode();
    // Steps 4–7 on the session, asserting nothing: the tokens, empty when a step failed.
    Tokens codeFlow();

    // Steps 1–2, asserting (use CHECKED): 302 to /login with a new session, then a login form with a _csrf.
    void start();
    // Steps 1–3, asserting (use CHECKED): start(), then a 302 that sets a new session and sends the browser
    // back to the absolute authorize URL.
    void signIn();
    // Steps 1–6, asserting (use CHECKED): signIn(), then step 4 redirects with a code at once (autoapproved or
    // remembered) or shows the approval page, which is answered with `approved` and redirects with a code.
    // The redirect goes to http://localhost with a 6-character code, kept as code().
    void obtainCode(const QStringList &approved = {QStringLiteral("read"), QStringLiteral("write")});
    // Steps 1–7 for a client without autoapprove, asserting (use CHECKED) each status: 302, 200, 302, 200, 303,
    // 200. `password` is the user's.
    void runToToken(const QString &password = QStringLiteral("password"));
    // runToToken(), then step 8 answered 200.
    void runAll();

private:
    TestResponse keep(const TestResponse &r);
    HttpTestClient::Headers cookie() const;

    std::unique_ptr<HttpTestClient> m_ownHttp; // only for the port constructor
    HttpTestClient &m_http;
    QString m_query;
    ClientCredentials m_client;
    QString m_session;
    QString m_csrf;
    QString m_code;
    Tokens m_tokens;
};

} // namespace oauthsim::test
