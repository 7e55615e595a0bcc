// What the interop .mjs tests share: the environment their .sh sets (through lib/interop.sh), the check counters and
// the closing count, oauthsim headless on port 0, the callback server, Chromium, and stopping all of it whatever
// happens (a signal, a throw, a timeout). Importing this module checks the environment and installs the signal handlers.
//
//   OAUTHSIM_BIN          the oauthsim binary
//   INTEROP_WORK          a temporary directory (config, data dir, logs, pid files); the .sh removes it
//   INTEROP_NODE_MODULES  the node_modules holding the test's npm packages (outside the source tree)
//
// A test prints `ok ...` / `FAIL ...` per check (`info ...` for what is reported, not checked), then run() prints
// `run: N s` and `N passed, M failed` last and exits 1 on any failure (or on no check at all).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const STEP_TIMEOUT = 15000; // every browser action, navigation and fetch

export const bin = process.env.OAUTHSIM_BIN;
export const work = process.env.INTEROP_WORK;
const nodeModules = process.env.INTEROP_NODE_MODULES;
if (!bin || !work || !nodeModules) {
    const script = path.basename(process.argv[1] ?? 'the test', '.mjs');
    console.log(`FAIL environment: OAUTHSIM_BIN, INTEROP_WORK and INTEROP_NODE_MODULES must be set (run ${script}.sh)`);
    console.log('0 passed, 1 failed');
    process.exit(1);
}

// The test's npm packages live in INTEROP_NODE_MODULES, not beside the script.
const cacheRequire = createRequire(path.join(nodeModules, 'noop.js'));
export const requireFromCache = (name) => cacheRequire(name);
export const importFromCache = (name) => import(pathToFileURL(cacheRequire.resolve(name)).href);

// ---- checks and the count ----
let passed = 0;
let failed = 0;
export function pass(name) {
    passed++;
    console.log(`ok   ${name}`);
}
export function check(name, expected, actual) {
    if (JSON.stringify(expected) === JSON.stringify(actual)) {
        pass(name);
    } else {
        failed++;
        console.log(`FAIL ${name}`);
        console.log(`     expected: ${JSON.stringify(expected)}`);
        console.log(`     actual:   ${JSON.stringify(actual)}`);
    }
}
export function fail(name, detail) {
    failed++;
    console.log(`FAIL ${name}`);
    if (detail) console.log(`     ${String(detail).split('\n').join('\n     ')}`);
}
export function info(text) {
    console.log(`info ${text}`);
}

export function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([promise, new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    })]).finally(() => clearTimeout(timer));
}

// ---- the redirect URI: a tiny server that records each callback and answers 200 ----
let callbackServer = null;
export const callbacks = [];
// Listens on 127.0.0.1, port 0; returns its origin (http://127.0.0.1:PORT). Requests to /callback are recorded in
// `callbacks` ({method, url}) and get a page with the heading "callback received"; anything else a 404.
export async function listenForCallbacks() {
    callbackServer = http.createServer((req, res) => {
        const url = `http://127.0.0.1:${callbackServer.address().port}${req.url}`;
        if (new URL(url).pathname === '/callback') callbacks.push({ method: req.method, url });
        res.writeHead(new URL(url).pathname === '/callback' ? 200 : 404,
            { 'Content-Type': 'text/html; charset=utf-8', 'Connection': 'close' });
        res.end('<!DOCTYPE html><html><body><h1>callback received</h1></body></html>');
    });
    await new Promise((resolve, reject) => {
        callbackServer.once('error', reject);
        callbackServer.listen(0, '127.0.0.1', resolve);
    });
    return `http://127.0.0.1:${callbackServer.address().port}`;
}

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
        if (callbackServer) {
            await new Promise((resolve) => callbackServer.close(() => resolve()));
            callbackServer.closeAllConnections?.();
        }
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

// Runs the test's main(): a throw is one failed check (with the end of oauthsim's log); then everything is stopped,
// the count printed, and the process exits 0 only when something passed and nothing failed.
export async function run(main) {
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
}

// ---- oauthsim ----
// Writes a configuration with the test's one client (and `users`, when given) to config.json in the work directory
// and starts oauthsim headless on port 0 with a data directory there and `args` after; resolves with the URL of
// "oauthsim listening on URL" (within 10 s). Its pid goes to oauthsim.pid for the .sh, should node die first.
export async function startOauthsim(client, { users, args = [] } = {}) {
    const config = { schema_version: 1, clients: [client], ...(users ? { users } : {}) };
    const configFile = path.join(work, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    const stderr = fs.openSync(path.join(work, 'oauthsim.stderr'), 'w');
    oauthsim = spawn(bin, ['--headless', '--port', '0', '--data-dir', path.join(work, 'data'), '--config', configFile,
        ...args],
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

// POSTs a form with HTTP Basic client authentication: {status, headers, text, json}.
export async function postForm(url, clientId, clientSecret, params) {
    const response = await fetch(url, {
        method: 'POST',
        headers: {
            'Authorization': `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(STEP_TIMEOUT),
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* reported by the caller */ }
    return { status: response.status, headers: response.headers, text, json };
}

export function newState() {
    return crypto.randomBytes(9).toString('base64url');
}

// ---- Chromium (Debian's, driven by playwright-core) ----
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Starts /usr/bin/chromium (its pid to chromium.pid for the .sh: it kills the process group should node die) and
// connects to it; resolves with the connected browser and prints its version.
export async function launchChromium(chromium) {
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
    return browser;
}

// A fresh browser context (no cookies) whose actions and navigations give up after STEP_TIMEOUT.
export async function newContext(browser) {
    const context = await browser.newContext();
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);
    return context;
}

// Fills oauthsim's login form (user and `password`), clicks "Sign in" and waits for a URL that `until` accepts.
export async function signIn(page, until, password = 'password') {
    await page.locator('#username').fill('user');
    await page.locator('#password').fill(password);
    await Promise.all([
        page.waitForURL(until),
        page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
}

// The chain of requests that led to `request`, oldest first: ["302 GET /oauth/authorize", "200 GET /login", ...].
export async function redirectChain(request) {
    const chain = [];
    for (let r = request; r; r = r.redirectedFrom()) {
        const response = await r.response();
        chain.unshift(`${response ? response.status() : null} ${r.method()} ${new URL(r.url()).pathname}`);
    }
    return chain;
}

// Clicks `button` and waits for the browser to reach `callbackUri`; resolves with the redirect chain (joined with
// " -> ") that got it there.
export async function clickToCallback(page, button, callbackUri) {
    const callbackRequest = page.waitForRequest((r) => r.url().startsWith(callbackUri));
    callbackRequest.catch(() => {}); // if the click below fails first, its error is the one reported
    await Promise.all([
        page.waitForURL((u) => u.href.startsWith(callbackUri)),
        button.click(),
    ]);
    return (await redirectChain(await callbackRequest)).join(' -> ');
}

// Checks that `url` is `callbackUri` with exactly a code and `state`; `codeShape` is [what the check says, pattern].
// Returns the code.
export function checkCodeCallback(name, url, callbackUri, state, [shapeName, shape]) {
    const u = new URL(url);
    check(`${name}: lands on the redirect URI`, callbackUri, `${u.origin}${u.pathname}`);
    check(`${name}: query has code and state only`, 'code,state', [...u.searchParams.keys()].sort().join(','));
    const code = u.searchParams.get('code') ?? '';
    check(`${name}: ${shapeName}`, true, shape.test(code));
    check(`${name}: state echoed`, state, u.searchParams.get('state'));
    return code;
}
