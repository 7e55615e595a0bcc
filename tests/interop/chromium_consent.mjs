// The spring-authorization-server profile's consent page with a real browser: Debian's Chromium, driven by
// playwright-core, opens /oauth2/authorize (scope "openid read write", state, PKCE S256), signs in on oauthsim's login
// form and gets the profile's consent page ("Consent required": one checkbox per scope, none for openid, all
// unticked). "Cancel" there resets the ticked boxes and submits: the 302 lands on a redirect URI this script listens
// on itself (127.0.0.1:<port>/callback; INTEROP-NOTES.md: Playwright cannot intercept redirect targets) with
// error=access_denied and the state. Asked again (the session holds: no login), it ticks "read" only and submits: a
// 128-character code, which Node's fetch exchanges at /oauth2/token (Basic auth, parameters in the body,
// code_verifier): "Bearer", scope "openid read", an id_token and a JWT access token (typ at+jwt).
// The profile then remembers that consent per client and user, as Spring Authorization Server's consent service
// does: asked for "openid read write" again, the page offers only "write", with "read" ticked and disabled as granted
// before, and "Cancel" keeps the earlier grant (a code for "openid read"); asked for "openid read", no page at all.
//
// Started by chromium_consent.sh, which installs Chromium and playwright-core (lib/interop.sh); lib/harness.mjs has
// the environment, the checks, oauthsim, the callback server and Chromium.
// Prints `ok ...` / `FAIL ...` per check (and `info ...` for what is reported, not checked) and `N passed, M failed`
// last; exits 1 on any failure.
import crypto from 'node:crypto';
import {
    callbacks, check, checkCodeCallback, clickToCallback, info, launchChromium, listenForCallbacks, newContext, newState,
    postForm, redirectChain, requireFromCache, run, signIn, startOauthsim,
} from './lib/harness.mjs';

const { chromium } = requireFromCache('playwright-core');

const PROFILE = 'spring-authorization-server';
const AUTHORIZE_PATH = '/oauth2/authorize';
const TOKEN_PATH = '/oauth2/token';
const CLIENT_ID = 'consent-app';
const CLIENT_SECRET = 'consent-secret';
const SCOPE = 'openid read write';
const CODE_SHAPE = ['code is 128 characters of base64url', /^[A-Za-z0-9_-]{128}$/];

// RFC 7636 §4.1/§4.2: 32 random octets as the verifier (43 characters), its SHA-256 as the S256 challenge.
function newPkce() {
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto.createHash('sha256').update(verifier, 'ascii').digest('base64url');
    return { verifier, challenge };
}

function authorizeUrl(base, callbackUri, state, pkce, extra = {}) {
    const q = new URLSearchParams({
        response_type: 'code', client_id: CLIENT_ID, redirect_uri: callbackUri, scope: SCOPE, state,
        code_challenge: pkce.challenge, code_challenge_method: 'S256', ...extra,
    });
    return `${base}${AUTHORIZE_PATH}?${q}`;
}

// This profile reads token parameters from the body only.
const exchange = (base, code, callbackUri, verifier) => postForm(`${base}${TOKEN_PATH}`, CLIENT_ID, CLIENT_SECRET,
    { grant_type: 'authorization_code', code, redirect_uri: callbackUri, code_verifier: verifier });

// A compact JWS: { header, payload } decoded, or null when it is not three base64url parts of JSON.
function decodeJwt(token) {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return null;
    try {
        return {
            header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
            payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
        };
    } catch {
        return null;
    }
}

function scopeSet(scope) {
    if (typeof scope === 'string') return scope.split(' ').filter(Boolean).sort();
    return Array.isArray(scope) ? [...scope].sort() : scope; // RFC 9068 allows a string; some servers send an array
}

// The consent page as the browser shows it: title, client, user, and the scope checkboxes (id, value, ticked,
// disabled): read and write to tick, except those in `granted`, shown after them ticked and disabled.
async function checkConsentPage(name, page, base, state, granted = []) {
    check(`${name}: on ${AUTHORIZE_PATH}`, `${base}${AUTHORIZE_PATH}`, page.url().split('?')[0]);
    check(`${name}: title`, 'Consent required', await page.title());
    check(`${name}: heading`, 'Consent required', (await page.locator('h1').textContent())?.trim());
    check(`${name}: names the client`, CLIENT_ID, (await page.locator('#client-id').textContent())?.trim());
    check(`${name}: names the user`, 'user', (await page.locator('#principal').textContent())?.trim());
    const boxes = page.locator('input[type=checkbox][name=scope]');
    const found = await boxes.evaluateAll((els) => els.map((e) => ({ id: e.id, value: e.value, checked: e.checked, disabled: e.disabled })));
    const box = (scope, before) => ({ id: scope, value: scope, checked: before, disabled: before });
    check(granted.length === 0
        ? `${name}: exactly two scope checkboxes, read and write (none for openid), both unticked`
        : `${name}: ${granted.join(', ')} ticked and disabled (granted before) after the others to tick (none for openid)`,
    [...['read', 'write'].filter((s) => !granted.includes(s)).map((s) => box(s, false)), ...granted.map((s) => box(s, true))],
    found);
    check(`${name}: "already granted" paragraph only for earlier grants`,
        granted.length === 0 ? 0 : 1, await page.locator('#previously-granted').count());
    check(`${name}: no checkbox for openid`, 0, await page.locator('#openid').count());
    check(`${name}: the form posts to ${AUTHORIZE_PATH}`, `${base}${AUTHORIZE_PATH}`,
        await page.locator('form[name=consent_form]').evaluate((f) => f.action));
    check(`${name}: hidden state is the request's (HTML-escaped in the page, intact in the DOM)`, state,
        await page.locator('form[name=consent_form] input[type=hidden][name=state]').inputValue());
    check(`${name}: a hidden _csrf`, 1, await page.locator('form[name=consent_form] input[type=hidden][name=_csrf]').count());
    check(`${name}: buttons Submit Consent and Cancel`, ['Submit Consent', 'Cancel'],
        [(await page.locator('#submit-consent').textContent())?.trim(), (await page.locator('#cancel-consent').textContent())?.trim()]);
}

async function main() {
    const callbackUri = `${await listenForCallbacks()}/callback`;
    const base = await startOauthsim({
        client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [callbackUri],
        scopes: ['openid', 'read', 'write'], grant_types: ['authorization_code', 'refresh_token'], autoapprove: false,
    }, { args: ['--profile', PROFILE] });
    console.log(`server at ${base} (profile ${PROFILE}), redirect URI ${callbackUri}`);
    const browser = await launchChromium(chromium);

    // ---- first authorization: login form, consent page, Cancel: access_denied (nothing consented yet) ----
    const context = await newContext(browser);
    const page = await context.newPage();
    // Echoed exactly, whatever it takes to encode it in the URL and to escape it in the consent page's hidden field.
    const state1 = `${newState()} a/b+c=d&é"<x>`;
    const url1 = authorizeUrl(base, callbackUri, state1, newPkce());
    const response = await page.goto(url1);
    check('authorize without a session lands on the login page', `${base}/login`, page.url());
    check('via 302 from GET /oauth2/authorize', '302 GET /oauth2/authorize -> 200 GET /login',
        (await redirectChain(response.request())).join(' -> '));
    check('login page title', 'Please sign in', await page.title());

    await signIn(page, (u) => u.pathname === AUTHORIZE_PATH);
    check('sign-in returns to the remembered authorize URL', url1, page.url());
    await checkConsentPage('consent page', page, base, state1);
    // Tick both, then Cancel: its script resets the form (unticking them) and submits it without any scope.
    await page.locator('#read').check();
    await page.locator('#write').check();
    let before = callbacks.length;
    const chain1 = await clickToCallback(page, page.locator('#cancel-consent'), callbackUri);
    check('Cancel: 302 from POST /oauth2/authorize to the callback', '302 POST /oauth2/authorize -> 200 GET /callback', chain1);
    const denied = new URL(page.url());
    info(`Cancel: callback query ${denied.search}`);
    check('Cancel: lands on the redirect URI', callbackUri, `${denied.origin}${denied.pathname}`);
    check('Cancel: error=access_denied', 'access_denied', denied.searchParams.get('error'));
    check('Cancel: state echoed', state1, denied.searchParams.get('state'));
    check('Cancel: no code', false, denied.searchParams.has('code'));
    check('Cancel: the callback server saw it once', [before + 1, page.url()], [callbacks.length, callbacks.at(-1)?.url]);

    // ---- second authorization, same context (the session holds: no login): the same page, tick "read" only ----
    const page2 = await context.newPage();
    const seen2 = [];
    page2.on('request', (r) => { if (r.url().startsWith(base)) seen2.push(`${r.method()} ${new URL(r.url()).pathname}`); });
    const pkce2 = newPkce();
    const state2 = `${newState()} a/b+c=d&é"<x>`;
    await page2.goto(authorizeUrl(base, callbackUri, state2, pkce2));
    check('second authorization: only GET /oauth2/authorize (no login: the session holds)', 'GET /oauth2/authorize', seen2.join(', '));
    await checkConsentPage('consent page after Cancel', page2, base, state2);
    await page2.locator('#read').check();
    check('"read" ticked, "write" not', [true, false],
        [await page2.locator('#read').isChecked(), await page2.locator('#write').isChecked()]);
    const chain2 = await clickToCallback(page2, page2.getByRole('button', { name: 'Submit Consent' }), callbackUri);
    check('Submit Consent: 302 from POST /oauth2/authorize to the callback', '302 POST /oauth2/authorize -> 200 GET /callback', chain2);
    const code2 = checkCodeCallback('Submit Consent', page2.url(), callbackUri, state2, CODE_SHAPE);
    check('Submit Consent: the callback server saw it', page2.url(), callbacks.at(-1)?.url);

    // ---- the code at the token endpoint ----
    const token = await exchange(base, code2, callbackUri, pkce2.verifier);
    check('token: status', 200, token.status);
    if (token.status !== 200) console.log(`     body: ${token.text}`);
    check('token: token_type', 'Bearer', token.json?.token_type);
    info(`token response members: ${Object.keys(token.json ?? {}).join(',')}; scope "${token.json?.scope}"`);
    check('token: scope is openid and read (as a set)', ['openid', 'read'], scopeSet(token.json?.scope));
    const idToken = decodeJwt(token.json?.id_token);
    check('token: an id_token (a JWT)', true, idToken !== null);
    check('token: id_token sub and aud', ['user', true],
        [idToken?.payload.sub, [].concat(idToken?.payload.aud ?? []).includes(CLIENT_ID)]);
    const access = decodeJwt(token.json?.access_token);
    check('token: access_token is a JWT (three dot-separated base64url parts)', true, access !== null);
    check('token: access_token header typ', 'at+jwt', access?.header.typ);
    check('token: access_token scope claim holds openid and read', ['openid', 'read'], scopeSet(access?.payload.scope));
    info(`access_token header ${JSON.stringify(access?.header)}, scope claim ${JSON.stringify(access?.payload.scope)}`);

    // ---- third authorization, wider than the stored consent: only "write" to tick; Cancel keeps the earlier grant ----
    const page3 = await context.newPage();
    const pkce3 = newPkce();
    const state3 = newState();
    await page3.goto(authorizeUrl(base, callbackUri, state3, pkce3));
    await checkConsentPage('wider request', page3, base, state3, ['read']);
    await page3.locator('#write').check();
    before = callbacks.length;
    const chain3 = await clickToCallback(page3, page3.locator('#cancel-consent'), callbackUri);
    check('Cancel after an earlier grant: 302 from POST /oauth2/authorize to the callback',
        '302 POST /oauth2/authorize -> 200 GET /callback', chain3);
    const code3 = checkCodeCallback('Cancel after an earlier grant (a code: the earlier grant stands)', page3.url(), callbackUri, state3,
        CODE_SHAPE);
    check('Cancel after an earlier grant: the callback server saw it once', before + 1, callbacks.length);
    const kept = await exchange(base, code3, callbackUri, pkce3.verifier);
    check('Cancel after an earlier grant: the code is for openid and read only', [200, ['openid', 'read']],
        [kept.status, scopeSet(kept.json?.scope)]);

    // ---- fourth authorization, within the stored consent: no page, straight to the callback ----
    const page4 = await context.newPage();
    const seen4 = [];
    page4.on('request', (r) => { if (r.url().startsWith(base)) seen4.push(`${r.method()} ${new URL(r.url()).pathname}`); });
    const state4 = newState();
    const response4 = await page4.goto(authorizeUrl(base, callbackUri, state4, newPkce(), { scope: 'openid read' }));
    check('within the consent: only GET /oauth2/authorize (no consent page)', 'GET /oauth2/authorize', seen4.join(', '));
    check('within the consent: 302 from GET /oauth2/authorize to the callback', '302 GET /oauth2/authorize -> 200 GET /callback',
        (await redirectChain(response4.request())).join(' -> '));
    checkCodeCallback('within the consent', page4.url(), callbackUri, state4, CODE_SHAPE);
    await context.close();
    await browser.close();
}

await run(main);
