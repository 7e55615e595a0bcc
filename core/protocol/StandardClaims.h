#pragma once

#include <QStringList>
#include <QStringView>

namespace oauthsim {

// The OpenID Connect standard claims (OIDC Core §5.1) and which scope asks for which (OIDC Core §5.4). Shared by
// the UserInfo endpoint (what it returns) and discovery (claims_supported), so the two cannot disagree.
class StandardClaims
{
public:
    // The claims the scope `scope` requests, in OIDC Core §5.4's order; empty for any other scope (openid, read, ...).
    static QStringList forScope(QStringView scope);
    // The scopes §5.4 defines: profile, email, address, phone.
    static QStringList claimScopes();
    // "sub", then every claim of every claim scope, in that order (discovery's claims_supported).
    static QStringList all();
};

} // namespace oauthsim
