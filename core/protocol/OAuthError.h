#pragma once

#include "ErrorCode.h"

#include <QList>
#include <QPair>
#include <QString>

namespace oauthsim {

// How a 401 tells the client to authenticate (the WWW-Authenticate header), if at all.
enum class AuthChallenge
{
    None,
    Basic,  // Basic realm="oauth2/client"
    Form,   // Form realm="oauth2/client", error=..., error_description=...
    Bearer, // Bearer error=..., error_description=... (Spring's exception translator for 401s)
};

// One OAuth error value. Factories per RFC code; with...() modifiers return copies.
// Rendering to HTTP is ResponseWriter's job alone.
class OAuthError
{
public:
    OAuthError() = default;
    OAuthError(ErrorCode code, QString description);

    static OAuthError invalidRequest(QString description);
    static OAuthError invalidClient(QString description);
    static OAuthError invalidGrant(QString description);
    static OAuthError unauthorizedClient(QString description);
    static OAuthError unsupportedGrantType(QString description);
    static OAuthError unsupportedResponseType(QString description);
    static OAuthError invalidScope(QString description, const QString &validScopes);
    static OAuthError accessDenied(QString description);
    static OAuthError invalidToken(QString description);
    // RFC 8628 §3.5, the device access token errors.
    static OAuthError authorizationPending(QString description);
    static OAuthError slowDown(QString description);
    static OAuthError expiredToken(QString description);
    static OAuthError serverError(QString debugDetail);
    static OAuthError badClientCredentials(AuthChallenge challenge);

    ErrorCode code() const { return m_code; }
    QByteArray codeName() const { return errorCodeName(m_code); }
    const QString &description() const { return m_description; }
    int httpStatus() const { return m_status; }
    AuthChallenge challenge() const { return m_challenge; }
    // Detail for the request log only; never sent to the client.
    const QString &debugDetail() const { return m_debugDetail; }
    // Extra fields after error and error_description (e.g. "scope"), in order.
    const QList<QPair<QString, QString>> &extra() const { return m_extra; }

    OAuthError withStatus(int status) const;
    OAuthError withChallenge(AuthChallenge challenge) const;
    OAuthError withDebugDetail(QString detail) const;
    OAuthError withExtra(QString key, QString value) const;

    // Spring's getSummary(): error="…", error_description="…"[, key="value"]...
    QByteArray summary() const;

private:
    ErrorCode m_code = ErrorCode::ServerError;
    QString m_description;
    int m_status = 500;
    AuthChallenge m_challenge = AuthChallenge::None;
    QString m_debugDetail;
    QList<QPair<QString, QString>> m_extra;
};

} // namespace oauthsim
