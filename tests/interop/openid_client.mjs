// OpenID Connect against oauthsim with openid-client (v6), a relying-party library nobody here wrote. It discovers
// the server (both /.well-known documents), builds the authorization URL with PKCE S256, a nonce and a state, and
// plays the browser with fetch and a cookie jar: GET authorize -> 302 /login -> POST /login with the form's _csrf
// -> 302 back to the saved authorize request -> 303 (autoapproved client) to the callback with code and state.
// openid-client then redeems the code and validates the id_token (signature against the JWKS, iss, aud, nonce),
// refreshes, reads userinfo, introspects, revokes, and the browser signs out through the end-session endpoint.
// The redirect URI http://127.0.0.1:<port>/callback is on a port this script listens on; nothing ever fetches it.
//
// Started by openid_client.sh, which installs openid-client (lib/interop.sh); lib/harness.mjs has the environment,
// the checks, oauthsim and the callback server's port.
// Prints `ok ...` / `FAIL ...` per check and `N passed, M failed` last; exits 1 on any failure.
import {
    check, fail, importFromCache, listenForCallbacks, pass, run, startOauthsim, STEP_TIMEOUT,
} from './lib/harness.mjs';

// OAUTHSIM_PROFILE: the profile oauthsim runs (default spring-legacy). The client code is the same for both: only
// what the server is expected to answer differs (paths, redirect status, token type).
const PROFILE = process.env.OAUTHSIM_PROFILE || 'spring-legacy';
const LEGACY = PROFILE === 'spring-legacy';
const P = LEGACY ? '/oauth' : '/oauth2';
const REDIRECT_STATUS = LEGACY ? '303' : '302';
const client = await importFromCache('openid-client');

const CLIENT_ID = 'oidc-rp'; // the '-' makes ClientSecretBasic send oidc%2Drp (RFC 6749 §2.3.1): oauthsim decodes it
const CLIENT_SECRET = 'rp secret/+'; // likewise for the space, '/' and '+'
const SCOPE = 'openid profile email read';
const USER_CLAIMS = { name: 'Ada Lovelace', given_name: 'Ada', email: 'ada@example.test', email_verified: true, phone_number: '+44 20 7946 0000' };

// Runs `fn`; a throw is one failed check named `name`, with the library's error code and cause.
async function attempt(name, fn) {
    try {
        return await fn();
    } catch (e) {
        const cause = e?.cause
            ? `\ncause: ${e.cause.message ? `${e.cause.message} ` : ''}${JSON.stringify(e.cause).slice(0, 600)}`
            : '';
        fail(name, `${e?.name}: ${e?.code ? `${e.code}: ` : ''}${e?.message}${cause}`);
        return undefined;
    }
}

// ---- the browser: fetch without following redirects, and a cookie jar for oauthsim's JSESSIONID ----
const jar = new Map();
async function browse(url, init = {}) {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(STEP_TIMEOUT) });
    // Headers.getSetCookie() is Node 19.7+; oauthsim's cookies carry no Expires, so their commas separate cookies.
    const setCookies = response.headers.getSetCookie?.() ?? (response.headers.get('set-cookie')?.split(/,\s*(?=[^;=,\s]+=)/) ?? []);
    for (const cookie of setCookies) {
        const [pair] = cookie.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return { response, text: await response.text() };
}

// Follows the authorization from `authorizationUrl` until a redirect to `callbackUri`; signs in on the login form
// when it comes. Returns the callback URL and the hops taken ("302 GET /oauth/authorize", ...).
async function authorizeInBrowser(authorizationUrl, base, callbackUri) {
    const hops = [];
    let url = authorizationUrl.href;
    let init = {};
    for (let i = 0; i < 10; i++) {
        const { response, text } = await browse(url, init);
        hops.push(`${response.status} ${init.method ?? 'GET'} ${new URL(url).pathname}`);
        const location = response.headers.get('location');
        if (location) {
            const next = new URL(location, url);
            if (next.href.startsWith(callbackUri)) return { callback: next, hops };
            url = next.href;
            init = {};
            continue;
        }
        const csrf = /name="_csrf"[^>]*value="([^"]*)"/.exec(text)?.[1];
        if (response.status === 200 && new URL(url).pathname === '/login' && csrf) {
            url = `${base}/login`;
            init = {
                method: 'POST',
                headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams({ username: 'user', password: 'password', _csrf: csrf }),
            };
            continue;
        }
        throw new Error(`the browser is stuck at ${response.status} ${url}: ${text.slice(0, 300)}`);
    }
    throw new Error(`no callback after 10 hops: ${hops.join(', ')}`);
}

async function main() {
    const rp = await listenForCallbacks();
    const callbackUri = `${rp}/callback`;
    const signedOutUri = `${rp}/signed-out`;
    const base = await startOauthsim({
        client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [callbackUri],
        post_logout_redirect_uris: [signedOutUri], scopes: ['openid', 'profile', 'email', 'read'],
        grant_types: ['authorization_code', 'refresh_token'], autoapprove: true,
    }, { users: [{ username: 'user', password: 'password', claims: USER_CLAIMS }], args: ['--profile', PROFILE] });
    console.log(`server at ${base}, redirect URI ${callbackUri}`);

    // ---- discovery: OpenID Connect Discovery 1.0, then RFC 8414 ----
    const discoveryOptions = { execute: [client.allowInsecureRequests], timeout: STEP_TIMEOUT / 1000 };
    const config = await attempt('discovery (openid-configuration)', () =>
        client.discovery(new URL(base), CLIENT_ID, CLIENT_SECRET, client.ClientSecretBasic(CLIENT_SECRET), discoveryOptions));
    if (!config) return;
    const metadata = config.serverMetadata();
    check('discovery: issuer is the listening base URL exactly', base, metadata.issuer);
    check('discovery: endpoints', [`${base}${P}/authorize`, `${base}${P}/token`, `${base}${P}/jwks`, `${base}/userinfo`,
        `${base}/connect/logout`, `${base}${P}/introspect`, `${base}${P}/revoke`],
    [metadata.authorization_endpoint, metadata.token_endpoint, metadata.jwks_uri, metadata.userinfo_endpoint,
        metadata.end_session_endpoint, metadata.introspection_endpoint, metadata.revocation_endpoint]);
    check('discovery: PKCE S256 supported', true, metadata.code_challenge_methods_supported?.includes('S256'));
    check('discovery: scopes_supported', ['address', 'email', 'openid', 'phone', 'profile', 'read'], metadata.scopes_supported);
    const oauthConfig = await attempt('discovery (oauth-authorization-server)', () =>
        client.discovery(new URL(base), CLIENT_ID, CLIENT_SECRET, client.ClientSecretBasic(CLIENT_SECRET),
            { ...discoveryOptions, algorithm: 'oauth2' }));
    if (oauthConfig) {
        check('RFC 8414 discovery: same issuer and token endpoint', [base, `${base}${P}/token`],
            [oauthConfig.serverMetadata().issuer, oauthConfig.serverMetadata().token_endpoint]);
    }

    // ---- authorization request: PKCE S256, nonce, state ----
    const codeVerifier = client.randomPKCECodeVerifier();
    const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier);
    const nonce = client.randomNonce();
    const state = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
        redirect_uri: callbackUri, scope: SCOPE, code_challenge: codeChallenge, code_challenge_method: 'S256', nonce, state,
    });
    check('buildAuthorizationUrl: PKCE S256, nonce, state and scope on the authorize endpoint',
        [`${base}${P}/authorize`, 'S256', codeChallenge, nonce, state, SCOPE, 'code'],
        [`${authorizationUrl.origin}${authorizationUrl.pathname}`, authorizationUrl.searchParams.get('code_challenge_method'),
            authorizationUrl.searchParams.get('code_challenge'), authorizationUrl.searchParams.get('nonce'),
            authorizationUrl.searchParams.get('state'), authorizationUrl.searchParams.get('scope'),
            authorizationUrl.searchParams.get('response_type')]);
    const first = await attempt('browser: authorize, login, callback', () => authorizeInBrowser(authorizationUrl, base, callbackUri));
    if (!first) return;
    check(`browser: 302 to /login, form login, back to authorize, ${REDIRECT_STATUS} to the callback (autoapproved)`,
        `302 GET ${P}/authorize, 200 GET /login, 302 POST /login, ${REDIRECT_STATUS} GET ${P}/authorize`, first.hops.join(', '));
    check('browser: the callback carries code and state', ['code', 'state'], [...first.callback.searchParams.keys()].sort());

    // ---- the code grant with every OpenID Connect check: id_token signature (JWKS), iss, aud, exp, nonce ----
    let tokens = await attempt('authorizationCodeGrant with PKCE, state and nonce (id_token validated against the JWKS)',
        () => client.authorizationCodeGrant(config, first.callback,
            { pkceCodeVerifier: codeVerifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true }));
    let subject = client.skipSubjectCheck;
    let idToken;
    if (tokens) {
        pass('authorizationCodeGrant with PKCE, state and nonce (id_token validated against the JWKS)');
        const claims = tokens.claims();
        check('id_token: iss, sub, aud, nonce', [base, 'user', CLIENT_ID, nonce],
            [claims?.iss, claims?.sub, Array.isArray(claims?.aud) ? claims.aud[0] : claims?.aud, claims?.nonce]);
        subject = claims?.sub ?? client.skipSubjectCheck;
        idToken = tokens.id_token;
    } else {
        // Without an id_token the later checks still deserve a run: a second authorization in the same browser
        // (session and autoapproval: straight to the callback), redeemed as a plain OAuth 2.0 code.
        const verifier2 = client.randomPKCECodeVerifier();
        const state2 = client.randomState();
        const url2 = client.buildAuthorizationUrl(config, {
            redirect_uri: callbackUri, scope: SCOPE, state: state2,
            code_challenge: await client.calculatePKCECodeChallenge(verifier2), code_challenge_method: 'S256',
        });
        const second = await attempt('browser: second authorization', () => authorizeInBrowser(url2, base, callbackUri));
        if (!second) return;
        tokens = await attempt('authorizationCodeGrant with PKCE and state, without the OpenID checks',
            () => client.authorizationCodeGrant(config, second.callback, { pkceCodeVerifier: verifier2, expectedState: state2 }));
        if (!tokens) return;
        console.log('note the later checks use the tokens of that plain OAuth 2.0 code grant');
    }
    check('token response: bearer, scope, access and refresh token', ['bearer', SCOPE.split(' ').sort().join(' '), true, true],
        [tokens.token_type, tokens.scope?.split(' ').sort().join(' '), !!tokens.access_token, !!tokens.refresh_token]);

    // ---- refresh ----
    const refreshed = await attempt('refreshTokenGrant', () => client.refreshTokenGrant(config, tokens.refresh_token));
    if (refreshed) {
        check('refreshTokenGrant: a new access token, the same refresh token (both profiles reuse refresh tokens)', [true, tokens.refresh_token],
            [!!refreshed.access_token && refreshed.access_token !== tokens.access_token, refreshed.refresh_token]);
    }
    const accessToken = refreshed?.access_token ?? tokens.access_token;

    // ---- userinfo ----
    const userinfo = await attempt('fetchUserInfo', () => client.fetchUserInfo(config, accessToken, subject));
    if (userinfo) {
        // profile and email were granted, phone was not: its claim stays out.
        check('fetchUserInfo: sub and the claims of profile and email only',
            { sub: 'user', name: 'Ada Lovelace', given_name: 'Ada', email: 'ada@example.test', email_verified: true }, userinfo);
    }

    // ---- introspection and revocation ----
    const introspection = await attempt('tokenIntrospection', () => client.tokenIntrospection(config, accessToken));
    if (introspection) {
        check('tokenIntrospection: active, client_id, sub, scope',
            [true, CLIENT_ID, 'user', SCOPE.split(' ').sort().join(' ')],
            [introspection.active, introspection.client_id, introspection.sub, introspection.scope]);
    }
    const revoked = await attempt('tokenRevocation', async () => { await client.tokenRevocation(config, accessToken); return true; });
    if (revoked) {
        pass('tokenRevocation');
        const after = await attempt('tokenIntrospection after revocation', () => client.tokenIntrospection(config, accessToken));
        if (after) check('tokenIntrospection after revocation: inactive', false, after.active);
        let challenge = 'no error';
        try {
            await client.fetchUserInfo(config, accessToken, subject);
        } catch (e) {
            challenge = `${e?.name} ${e?.cause?.[0]?.scheme} ${e?.cause?.[0]?.parameters?.error}`;
        }
        check('fetchUserInfo after revocation: WWW-Authenticate Bearer error="invalid_token"',
            'WWWAuthenticateChallengeError bearer invalid_token', challenge);
    }

    // ---- RP-initiated logout in the browser ----
    const logoutState = client.randomState();
    const endSessionUrl = client.buildEndSessionUrl(config, {
        post_logout_redirect_uri: signedOutUri, state: logoutState, ...(idToken ? { id_token_hint: idToken } : {}),
    });
    const logout = await attempt('end session', () => browse(endSessionUrl.href));
    if (logout) {
        check('end session: 302 to the post-logout redirect URI with the state',
            `302 ${signedOutUri}?state=${logoutState}`, `${logout.response.status} ${logout.response.headers.get('location')}`);
        const again = await attempt('authorize after sign-out', () => browse(authorizationUrl.href));
        if (again) {
            check('authorize after sign-out: the login page again', `302 ${'/login'}`,
                `${again.response.status} ${again.response.headers.get('location')}`);
        }
    }
}

await run(main);
