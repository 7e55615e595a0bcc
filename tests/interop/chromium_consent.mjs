// The spring-authorization-server profile's consent page with a real browser: Debian's Chromium, driven by
// playwright-core, opens /oauth2/authorize (scope "openid read write", state, PKCE S256), signs in on oauthsim's login
// form and gets the profile's consent page ("Consent required": one checkbox per scope, none for openid, all
// unticked). It ticks "read" only and submits; the 302 lands on a redirect URI this script listens on itself
// (127.0.0.1:<port>/callback; INTEROP-NOTES.md: Playwright cannot intercept redirect targets) with a 128-character
// code. Node's fetch then exchanges the code at /oauth2/token (Basic auth, parameters in the body, code_verifier):
// "Bearer", scope "openid read", an id_token and a JWT access token (typ at+jwt).
// Then a second authorization in the same browser context (session: no login): the consent page again (or, should
// the server remember the approval, a direct redirect: reported either way), where "Cancel" resets the ticked boxes
// and submits, which ends at the callback with error=access_denied and the state.
//
// Started by chromium_consent.sh, which installs Chromium and playwright-core and sets:
//   OAUTHSIM_BIN          the oauthsim binary
//   INTEROP_WORK          a temporary directory (config, data dir, logs, pid files); the .sh removes it
//   INTEROP_NODE_MODULES  the node_modules holding playwright-core (outside the source tree)
// Prints `ok ...` / `FAIL ...` per check (and `info ...` for what is reported, not checked) and `N passed, M failed`
// last; exits 1 on any failure.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import crypto from 'node:crypto';

const bin = process.env.OAUTHSIM_BIN;
const work = process.env.INTEROP_WORK;
const nodeModules = process.env.INTEROP_NODE_MODULES;
if (!bin || !work || !nodeModules) {
    console.log('FAIL environment: OAUTHSIM_BIN, INTEROP_WORK and INTEROP_NODE_MODULES must be set (run chromium_consent.sh)');
    console.log('0 passed, 1 failed');
    process.exit(1);
}
const { chromium } = createRequire(path.join(nodeModules, 'noop.js'))('playwright-core');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_TIMEOUT = 15000; // every browser action, navigation and fetch
const PROFILE = 'spring-authorization-server';
const AUTHORIZE_PATH = '/oauth2/authorize';
const TOKEN_PATH = '/oauth2/token';
const CLIENT_ID = 'consent-app';
const CLIENT_SECRET = 'consent-secret';
const SCOPE = 'openid read write';

let passed = 0;
let failed = 0;
function check(name, expected, actual) {
    if (JSON.stringify(expected) === JSON.stringify(actual)) {
        passed++;
        console.log(`ok   ${name}`);
    } else {
        failed++;
        console.log(`FAIL ${name}`);
        console.log(`     expected: ${JSON.stringify(expected)}`);
        console.log(`     actual:   ${JSON.stringify(actual)}`);
    }
}
function fail(name, detail) {
    failed++;
    console.log(`FAIL ${name}`);
    if (detail) console.log(`     ${String(detail).split('\n').join('\n     ')}`);
}
function info(text) {
    console.log(`info ${text}`);
}

function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([promise, new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    })]).finally(() => clearTimeout(timer));
}

// ---- the redirect URI: a tiny server that records each callback and answers 200 ----
const callbacks = [];
const callbackServer = http.createServer((req, res) => {
    const url = `http://127.0.0.1:${callbackServer.address().port}${req.url}`;
    if (new URL(url).pathname === '/callback') callbacks.push({ method: req.method, url });
    res.writeHead(new URL(url).pathname === '/callback' ? 200 : 404,
        { 'Content-Type': 'text/html; charset=utf-8', 'Connection': 'close' });
    res.end('<!DOCTYPE html><html><body><h1>callback received</h1></body></html>');
});

// ---- everything started here is stopped by stopAll(), whatever happens ----
let oauthsim = null;
let browserServer = null;
let stopping = null;
function stopAll() {
    if (stopping) return stopping;
    stopping = (async () => {
        if (browserServer) {
            try { await withTimeout(browserServer.close(), 5000, 'closing Chromium'); } catch { /* killed below */ }
            try { await browserServer.kill(); } catch { /* already gone */ }
        }
        if (oauthsim && oauthsim.exitCode === null && oauthsim.signalCode === null) {
            const exited = new Promise((resolve) => oauthsim.once('exit', resolve));
            oauthsim.kill('SIGTERM');
            try { await withTimeout(exited, 5000, 'stopping oauthsim'); } catch { oauthsim.kill('SIGKILL'); }
        }
        await new Promise((resolve) => callbackServer.close(() => resolve()));
        callbackServer.closeAllConnections?.();
    })();
    return stopping;
}
let summarized = false;
function summary() { // once, and last: a signal may arrive while main() is still failing
    if (summarized) return;
    summarized = true;
    console.log(`run: ${(performance.now() / 1000).toFixed(1)} s (node start to end)`);
    console.log(`${passed} passed, ${failed} failed`);
}
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
    process.once(signal, async () => {
        fail(`interrupted by ${signal}`);
        await withTimeout(stopAll(), 10000, 'cleanup').catch(() => {});
        summary();
        process.exit(1);
    });
}

async function startOauthsim(callbackUri) {
    const config = {
        schema_version: 1,
        clients: [{
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            redirect_uris: [callbackUri],
            scopes: ['openid', 'read', 'write'],
            grant_types: ['authorization_code', 'refresh_token'],
            autoapprove: false,
        }],
    };
    const configFile = path.join(work, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    const stderr = fs.openSync(path.join(work, 'oauthsim.stderr'), 'w');
    oauthsim = spawn(bin, ['--headless', '--port', '0', '--data-dir', path.join(work, 'data'), '--config', configFile,
        '--profile', PROFILE],
        { stdio: ['ignore', 'pipe', stderr] });
    fs.writeFileSync(path.join(work, 'oauthsim.pid'), String(oauthsim.pid));
    let out = '';
    const listening = new Promise((resolve, reject) => {
        oauthsim.stdout.setEncoding('utf8');
        oauthsim.stdout.on('data', (chunk) => {
            out += chunk;
            const m = /^oauthsim listening on (\S+)$/m.exec(out);
            if (m) resolve(m[1]);
        });
        oauthsim.once('exit', (code, signal) => reject(new Error(`oauthsim exited (${code ?? signal}) before listening`)));
        oauthsim.once('error', reject);
    });
    try {
        return await withTimeout(listening, 10000, 'oauthsim start');
    } catch (e) {
        throw new Error(`${e.message}\nstdout: ${out}\nstderr: ${fs.readFileSync(path.join(work, 'oauthsim.stderr'), 'utf8')}`);
    }
}

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

function newState() {
    return crypto.randomBytes(9).toString('base64url');
}

// The chain of requests that led to `request`, oldest first, as "302 POST /oauth2/authorize -> 200 GET /callback".
async function redirectChain(request) {
    const chain = [];
    for (let r = request; r; r = r.redirectedFrom()) {
        const response = await r.response();
        chain.unshift(`${response ? response.status() : null} ${r.method()} ${new URL(r.url()).pathname}`);
    }
    return chain.join(' -> ');
}

async function exchange(base, code, callbackUri, verifier) {
    const response = await fetch(`${base}${TOKEN_PATH}`, {
        method: 'POST',
        headers: {
            'Authorization': `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
        },
        // This profile reads token parameters from the body only.
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: callbackUri, code_verifier: verifier }),
        signal: AbortSignal.timeout(STEP_TIMEOUT),
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* reported by the caller */ }
    return { status: response.status, headers: response.headers, text, json };
}

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

function checkCodeCallback(name, url, callbackUri, state) {
    const u = new URL(url);
    check(`${name}: lands on the redirect URI`, callbackUri, `${u.origin}${u.pathname}`);
    check(`${name}: query has code and state only`, 'code,state', [...u.searchParams.keys()].sort().join(','));
    const code = u.searchParams.get('code') ?? '';
    check(`${name}: code is 128 characters of base64url`, true, /^[A-Za-z0-9_-]{128}$/.test(code));
    check(`${name}: state echoed`, state, u.searchParams.get('state'));
    return code;
}

// The consent page as the browser shows it: title, client, user, and the scope checkboxes (id, value, ticked).
async function checkConsentPage(name, page, base, state) {
    check(`${name}: on ${AUTHORIZE_PATH}`, `${base}${AUTHORIZE_PATH}`, page.url().split('?')[0]);
    check(`${name}: title`, 'Consent required', await page.title());
    check(`${name}: heading`, 'Consent required', (await page.locator('h1').textContent())?.trim());
    check(`${name}: names the client`, CLIENT_ID, (await page.locator('#client-id').textContent())?.trim());
    check(`${name}: names the user`, 'user', (await page.locator('#principal').textContent())?.trim());
    const boxes = page.locator('input[type=checkbox][name=scope]');
    const found = await boxes.evaluateAll((els) => els.map((e) => ({ id: e.id, value: e.value, checked: e.checked })));
    check(`${name}: exactly two scope checkboxes, read and write (none for openid), both unticked`,
        [{ id: 'read', value: 'read', checked: false }, { id: 'write', value: 'write', checked: false }], found);
    check(`${name}: no checkbox for openid`, 0, await page.locator('#openid').count());
    check(`${name}: the form posts to ${AUTHORIZE_PATH}`, `${base}${AUTHORIZE_PATH}`,
        await page.locator('form[name=consent_form]').evaluate((f) => f.action));
    check(`${name}: hidden state is the request's (HTML-escaped in the page, intact in the DOM)`, state,
        await page.locator('form[name=consent_form] input[type=hidden][name=state]').inputValue());
    check(`${name}: a hidden _csrf`, 1, await page.locator('form[name=consent_form] input[type=hidden][name=_csrf]').count());
    check(`${name}: buttons Submit Consent and Cancel`, ['Submit Consent', 'Cancel'],
        [(await page.locator('#submit-consent').textContent())?.trim(), (await page.locator('#cancel-consent').textContent())?.trim()]);
}

// Clicks `button` and waits for the browser to reach the callback; returns the redirect chain that got it there.
async function clickToCallback(page, button, callbackUri) {
    const callbackRequest = page.waitForRequest((r) => r.url().startsWith(callbackUri));
    callbackRequest.catch(() => {}); // if the click below fails first, its error is the one reported
    await Promise.all([
        page.waitForURL((u) => u.href.startsWith(callbackUri)),
        button.click(),
    ]);
    return redirectChain(await callbackRequest);
}

async function main() {
    await new Promise((resolve, reject) => {
        callbackServer.once('error', reject);
        callbackServer.listen(0, '127.0.0.1', resolve);
    });
    const callbackUri = `http://127.0.0.1:${callbackServer.address().port}/callback`;
    const base = await startOauthsim(callbackUri);
    console.log(`server at ${base} (profile ${PROFILE}), redirect URI ${callbackUri}`);

    browserServer = await chromium.launchServer({
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS, // Playwright adds a fresh --user-data-dir under TMPDIR itself (it refuses one in args)
        host: '127.0.0.1',
        port: 0,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        timeout: 30000,
    });
    fs.writeFileSync(path.join(work, 'chromium.pid'), String(browserServer.process().pid));
    const browser = await chromium.connect(browserServer.wsEndpoint(), { timeout: STEP_TIMEOUT });
    console.log(`chromium ${browser.version()}`);

    // ---- first authorization: login form, consent page, tick "read" only, 302 to the callback ----
    const context = await browser.newContext();
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);
    const page = await context.newPage();
    const pkce1 = newPkce();
    // Echoed exactly, whatever it takes to encode it in the URL and to escape it in the consent page's hidden field.
    const state1 = `${newState()} a/b+c=d&é"<x>`;
    const url1 = authorizeUrl(base, callbackUri, state1, pkce1);
    const response = await page.goto(url1);
    check('authorize without a session lands on the login page', `${base}/login`, page.url());
    check('via 302 from GET /oauth2/authorize', '302 GET /oauth2/authorize -> 200 GET /login',
        await redirectChain(response.request()));
    check('login page title', 'Please sign in', await page.title());

    await page.locator('#username').fill('user');
    await page.locator('#password').fill('password');
    await Promise.all([
        page.waitForURL((u) => u.pathname === AUTHORIZE_PATH),
        page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    check('sign-in returns to the remembered authorize URL', url1, page.url());
    await checkConsentPage('consent page', page, base, state1);

    await page.locator('#read').check();
    check('"read" ticked, "write" not', [true, false],
        [await page.locator('#read').isChecked(), await page.locator('#write').isChecked()]);
    const chain1 = await clickToCallback(page, page.getByRole('button', { name: 'Submit Consent' }), callbackUri);
    check('Submit Consent: 302 from POST /oauth2/authorize to the callback', '302 POST /oauth2/authorize -> 200 GET /callback', chain1);
    const code1 = checkCodeCallback('Submit Consent', page.url(), callbackUri, state1);
    check('Submit Consent: the callback server saw it', page.url(), callbacks.at(-1)?.url);

    // ---- the code at the token endpoint ----
    const token = await exchange(base, code1, callbackUri, pkce1.verifier);
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

    // ---- second authorization in the same context: the session holds (no login); consent again, then Cancel ----
    const page2 = await context.newPage();
    const seen2 = [];
    page2.on('request', (r) => { if (r.url().startsWith(base)) seen2.push(`${r.method()} ${new URL(r.url()).pathname}`); });
    const pkce2 = newPkce();
    const state2 = newState();
    await page2.goto(authorizeUrl(base, callbackUri, state2, pkce2));
    check('second authorization: no login (the session holds)', false, seen2.includes('GET /login'));
    let cancelPage = page2;
    let cancelState = state2;
    if (page2.url().startsWith(callbackUri)) {
        // Approval remembered: the server skipped the page. Report it, check the code, and ask for the page with
        // prompt=consent to reach "Cancel".
        info('second authorization: approval REMEMBERED, direct redirect to the callback (no consent page)');
        const code2 = checkCodeCallback('second authorization (remembered)', page2.url(), callbackUri, state2);
        check('second authorization (remembered): a new code', true, code2 !== code1);
        cancelPage = await context.newPage();
        cancelState = newState();
        await cancelPage.goto(authorizeUrl(base, callbackUri, cancelState, newPkce(), { prompt: 'consent' }));
        info('third authorization with prompt=consent for the Cancel check');
    } else {
        info('second authorization: the consent page again (approval not remembered)');
        check('second authorization: only GET /oauth2/authorize', 'GET /oauth2/authorize', seen2.join(', '));
    }
    await checkConsentPage('consent page again', cancelPage, base, cancelState);
    // Tick both, then Cancel: its script resets the form (unticking them) and submits it without any scope.
    await cancelPage.locator('#read').check();
    await cancelPage.locator('#write').check();
    const before = callbacks.length;
    const chain2 = await clickToCallback(cancelPage, cancelPage.locator('#cancel-consent'), callbackUri);
    check('Cancel: 302 from POST /oauth2/authorize to the callback', '302 POST /oauth2/authorize -> 200 GET /callback', chain2);
    const denied = new URL(cancelPage.url());
    info(`Cancel: callback query ${denied.search}`);
    check('Cancel: lands on the redirect URI', callbackUri, `${denied.origin}${denied.pathname}`);
    check('Cancel: error=access_denied', 'access_denied', denied.searchParams.get('error'));
    check('Cancel: state echoed', cancelState, denied.searchParams.get('state'));
    check('Cancel: no code', false, denied.searchParams.has('code'));
    check('Cancel: the callback server saw it once', [before + 1, cancelPage.url()], [callbacks.length, callbacks.at(-1)?.url]);
    await context.close();
    await browser.close();
}

let exitCode = 1;
try {
    await main();
} catch (e) {
    if (!stopping) fail('unexpected error', e && e.stack ? e.stack : e); // else interrupted: already reported
    try {
        const log = fs.readFileSync(path.join(work, 'oauthsim.stderr'), 'utf8').trim().split('\n').slice(-20).join('\n');
        if (log) console.log(`oauthsim stderr (last lines):\n${log}`);
    } catch { /* no log */ }
} finally {
    await withTimeout(stopAll(), 15000, 'cleanup').catch((e) => fail('cleanup', e.message));
    summary();
    exitCode = failed === 0 && passed > 0 ? 0 : 1;
}
process.exit(exitCode);
