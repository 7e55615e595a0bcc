// Steps 1-7 of the seed with a real browser (PROTOCOL.md): Debian's Chromium, driven by playwright-core, opens the
// authorize URL, signs in on oauthsim's login form, approves read and write, and follows the 303 to a redirect URI
// this script listens on itself (127.0.0.1:<port>/callback), so the redirect target is a real page and nothing has to
// intercept it (INTEROP-NOTES.md: Playwright cannot intercept redirect targets). Node's fetch then exchanges the code.
// Also: a second authorization in the same browser context (session cookie: no login; approval remembered because a
// live token exists: no approval page), and a wrong password ("Bad credentials" on the login page).
//
// Started by chromium_codeflow.sh, which installs Chromium and playwright-core and sets:
//   OAUTHSIM_BIN          the oauthsim binary
//   INTEROP_WORK          a temporary directory (config, data dir, logs, pid files); the .sh removes it
//   INTEROP_NODE_MODULES  the node_modules holding playwright-core (outside the source tree)
// Prints `ok ...` / `FAIL ...` per check and `N passed, M failed` last; exits 1 on any failure.
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
    console.log('FAIL environment: OAUTHSIM_BIN, INTEROP_WORK and INTEROP_NODE_MODULES must be set (run chromium_codeflow.sh)');
    console.log('0 passed, 1 failed');
    process.exit(1);
}
const { chromium } = createRequire(path.join(nodeModules, 'noop.js'))('playwright-core');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_TIMEOUT = 15000; // every browser action, navigation and fetch
const CLIENT_ID = 'browser-app';
const CLIENT_SECRET = 'browser-secret';

let passed = 0;
let failed = 0;
function check(name, expected, actual) {
    if (expected === actual) {
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
            scopes: ['read', 'write'],
            grant_types: ['authorization_code', 'refresh_token'],
            autoapprove: false,
        }],
    };
    const configFile = path.join(work, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    const stderr = fs.openSync(path.join(work, 'oauthsim.stderr'), 'w');
    oauthsim = spawn(bin, ['--headless', '--port', '0', '--data-dir', path.join(work, 'data'), '--config', configFile],
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

function authorizeUrl(base, callbackUri, state) {
    const q = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: callbackUri, state });
    return `${base}/oauth/authorize?${q}`;
}

function newState() {
    return crypto.randomBytes(9).toString('base64url');
}

// The chain of requests that led to `request`, oldest first: [{method, url, status}, ...].
async function redirectChain(request) {
    const chain = [];
    for (let r = request; r; r = r.redirectedFrom()) {
        const response = await r.response();
        chain.unshift({ method: r.method(), url: r.url(), status: response ? response.status() : null });
    }
    return chain;
}

async function exchange(base, code, callbackUri) {
    const response = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: {
            'Authorization': `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: callbackUri }),
        signal: AbortSignal.timeout(STEP_TIMEOUT),
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* reported by the caller */ }
    return { status: response.status, headers: response.headers, text, json };
}

function checkCallback(name, url, callbackUri, state) {
    const u = new URL(url);
    check(`${name}: lands on the redirect URI`, callbackUri, `${u.origin}${u.pathname}`);
    check(`${name}: query has code and state only`, 'code,state', [...u.searchParams.keys()].sort().join(','));
    const code = u.searchParams.get('code') ?? '';
    check(`${name}: code shape (6 of [0-9A-Za-z_-])`, true, /^[0-9A-Za-z_-]{6}$/.test(code));
    check(`${name}: state echoed`, state, u.searchParams.get('state'));
    return code;
}

async function main() {
    await new Promise((resolve, reject) => {
        callbackServer.once('error', reject);
        callbackServer.listen(0, '127.0.0.1', resolve);
    });
    const callbackUri = `http://127.0.0.1:${callbackServer.address().port}/callback`;
    const base = await startOauthsim(callbackUri);
    console.log(`server at ${base}, redirect URI ${callbackUri}`);

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

    // ---- first authorization: login form, approval page, 303 to the callback ----
    const context = await browser.newContext();
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);
    const page = await context.newPage();
    const state1 = `${newState()} a/b+c=d&é`; // echoed exactly, whatever it takes to encode it
    let response = await page.goto(authorizeUrl(base, callbackUri, state1));
    check('step 1: authorize without a session lands on the login page', `${base}/login`, page.url());
    check('step 1: via 302 from /oauth/authorize', '302 GET /oauth/authorize',
        (await redirectChain(response.request())).slice(0, -1).map((r) => `${r.status} ${r.method} ${new URL(r.url).pathname}`).join(', '));
    const cookies = await context.cookies(base);
    const jsession = cookies.find((c) => c.name === 'JSESSIONID');
    check('step 1: JSESSIONID cookie (HttpOnly, SameSite=Lax, Path=/)', 'true Lax /',
        jsession ? `${jsession.httpOnly} ${jsession.sameSite} ${jsession.path}` : 'no JSESSIONID cookie');
    check('step 2: login page title', 'Please sign in', await page.title());
    check('step 2: login form has a hidden _csrf', 1, await page.locator('input[type=hidden][name=_csrf]').count());

    await page.locator('#username').fill('user');
    await page.locator('#password').fill('password');
    await Promise.all([
        page.waitForURL((u) => u.pathname === '/oauth/authorize'),
        page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    check('step 3: sign-in returns to the remembered authorize URL', authorizeUrl(base, callbackUri, state1), page.url());
    const after = (await context.cookies(base)).find((c) => c.name === 'JSESSIONID');
    check('step 3: a new session id is issued on login', true, !!after && !!jsession && after.value !== jsession.value);
    check('step 4: approval page heading', 'OAuth Approval', (await page.locator('h1').textContent())?.trim());
    check('step 4: approval page question', 'Do you authorize "browser-app" to access your protected resources?',
        (await page.locator('p').first().textContent())?.trim());
    for (const scope of ['read', 'write']) {
        check(`step 4: scope.${scope} Deny preselected`, true,
            await page.locator(`input[type=radio][name="scope.${scope}"][value=false]`).isChecked());
        await page.locator(`input[type=radio][name="scope.${scope}"][value=true]`).check();
    }
    const callbackRequest = page.waitForRequest((r) => r.url().startsWith(callbackUri));
    callbackRequest.catch(() => {}); // if the click below fails first, its error is the one reported
    await Promise.all([
        page.waitForURL((u) => u.href.startsWith(callbackUri)),
        page.getByRole('button', { name: 'Authorize' }).click(),
    ]);
    const chain1 = await redirectChain(await callbackRequest);
    check('step 5/6: 303 from POST /oauth/authorize to the callback', '303 POST /oauth/authorize -> 200 GET /callback',
        chain1.map((r) => `${r.status} ${r.method} ${new URL(r.url).pathname}`).join(' -> '));
    const code1 = checkCallback('step 6', page.url(), callbackUri, state1);
    check('step 6: the callback server saw it', page.url(), callbacks.at(-1)?.url);
    check('step 6: the browser shows the callback page', 'callback received', (await page.locator('h1').textContent())?.trim());

    // ---- step 7: exchange the code with fetch ----
    let token = await exchange(base, code1, callbackUri);
    check('step 7: status', 200, token.status);
    if (token.status !== 200) console.log(`     body: ${token.text}`);
    check('step 7: Content-Type', 'application/json;charset=UTF-8', token.headers.get('content-type'));
    check('step 7: Cache-Control', 'no-store', token.headers.get('cache-control'));
    check('step 7: Pragma', 'no-cache', token.headers.get('pragma'));
    check('step 7: key order', 'access_token,token_type,refresh_token,expires_in,scope', Object.keys(token.json ?? {}).join(','));
    check('step 7: token_type', 'bearer', token.json?.token_type);
    check('step 7: expires_in', 43199, token.json?.expires_in);
    check('step 7: scope', 'read write', token.json?.scope);
    check('step 7: access_token shape (27 base64url)', true, /^[A-Za-z0-9_-]{27}$/.test(token.json?.access_token ?? ''));
    check('step 7: refresh_token shape (27 base64url)', true, /^[A-Za-z0-9_-]{27}$/.test(token.json?.refresh_token ?? ''));
    const firstAccess = token.json?.access_token;

    // ---- second authorization, same context: session cookie (no login), approval remembered (live token) ----
    const page2 = await context.newPage();
    const seen2 = [];
    page2.on('request', (r) => { if (r.url().startsWith(base)) seen2.push(`${r.method()} ${new URL(r.url()).pathname}`); });
    const state2 = newState();
    response = await page2.goto(authorizeUrl(base, callbackUri, state2));
    check('second run: straight from authorize to the callback (no login, no approval)', 'GET /oauth/authorize',
        seen2.join(', '));
    check('second run: 303 from GET /oauth/authorize', '303 GET /oauth/authorize -> 200 GET /callback',
        (await redirectChain(response.request())).map((r) => `${r.status} ${r.method} ${new URL(r.url).pathname}`).join(' -> '));
    const code2 = checkCallback('second run', page2.url(), callbackUri, state2);
    check('second run: a new code', true, code2 !== code1);
    token = await exchange(base, code2, callbackUri);
    check('second run: exchange status', 200, token.status);
    if (token.status !== 200) console.log(`     body: ${token.text}`);
    check('second run: live token reused', firstAccess, token.json?.access_token);
    check('second run: scope', 'read write', token.json?.scope);
    check('second run: expires_in at most 43199', true, typeof token.json?.expires_in === 'number' && token.json.expires_in <= 43199);
    await context.close();

    // ---- a wrong password, in a fresh context (no session) ----
    const context3 = await browser.newContext();
    context3.setDefaultTimeout(STEP_TIMEOUT);
    context3.setDefaultNavigationTimeout(STEP_TIMEOUT);
    const page3 = await context3.newPage();
    const state3 = newState();
    const before = callbacks.length;
    await page3.goto(authorizeUrl(base, callbackUri, state3));
    check('wrong password: login page first', `${base}/login`, page3.url());
    await page3.locator('#username').fill('user');
    await page3.locator('#password').fill('not-the-password');
    await Promise.all([
        page3.waitForURL((u) => u.pathname === '/login' && u.search === '?error'),
        page3.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    check('wrong password: back on /login?error', `${base}/login?error`, page3.url());
    const text = await page3.locator('body').innerText();
    check('wrong password: the page says "Bad credentials"', true, text.includes('Bad credentials'));
    check('wrong password: still the login form', 1, await page3.locator('input[type=password][name=password]').count());
    check('wrong password: no callback', before, callbacks.length);
    // The remembered authorize request survives the failed attempt: the right password then finishes the flow
    // (approval still remembered: the user's token is live).
    await page3.locator('#username').fill('user');
    await page3.locator('#password').fill('password');
    await Promise.all([
        page3.waitForURL((u) => u.href.startsWith(callbackUri)),
        page3.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    checkCallback('right password after a wrong one', page3.url(), callbackUri, state3);
    await context3.close();

    // Last, because oauthsim then revokes what the code produced (RFC 6749 §4.1.2), which ends the remembered approval.
    const replay = await exchange(base, code1, callbackUri);
    check('replaying the first code: refused (single use)', `400 {"error":"invalid_grant","error_description":"Invalid authorization code: ${code1}"}`,
        `${replay.status} ${replay.text}`);
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
