// Steps 1-7 of the seed with a real browser (PROTOCOL.md): Debian's Chromium, driven by playwright-core, opens the
// authorize URL, signs in on oauthsim's login form, approves read and write, and follows the 303 to a redirect URI
// this script listens on itself (127.0.0.1:<port>/callback), so the redirect target is a real page and nothing has to
// intercept it (INTEROP-NOTES.md: Playwright cannot intercept redirect targets). Node's fetch then exchanges the code.
// Also: a second authorization in the same browser context (session cookie: no login; approval remembered because a
// live token exists: no approval page), and a wrong password ("Bad credentials" on the login page).
//
// Started by chromium_codeflow.sh, which installs Chromium and playwright-core (lib/interop.sh); lib/harness.mjs has
// the environment, the checks, oauthsim, the callback server and Chromium.
// Prints `ok ...` / `FAIL ...` per check and `N passed, M failed` last; exits 1 on any failure.
import {
    callbacks, check, checkCodeCallback, clickToCallback, launchChromium, listenForCallbacks, newContext, newState,
    postForm, redirectChain, requireFromCache, run, signIn, startOauthsim,
} from './lib/harness.mjs';

const { chromium } = requireFromCache('playwright-core');

const CLIENT_ID = 'browser-app';
const CLIENT_SECRET = 'browser-secret';
const CODE_SHAPE = ['code shape (6 of [0-9A-Za-z_-])', /^[0-9A-Za-z_-]{6}$/];

function authorizeUrl(base, callbackUri, state) {
    const q = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: callbackUri, state });
    return `${base}/oauth/authorize?${q}`;
}

const exchange = (base, code, callbackUri) => postForm(`${base}/oauth/token`, CLIENT_ID, CLIENT_SECRET,
    { grant_type: 'authorization_code', code, redirect_uri: callbackUri });

async function main() {
    const callbackUri = `${await listenForCallbacks()}/callback`;
    const base = await startOauthsim({
        client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [callbackUri], scopes: ['read', 'write'],
        grant_types: ['authorization_code', 'refresh_token'], autoapprove: false,
    });
    console.log(`server at ${base}, redirect URI ${callbackUri}`);
    const browser = await launchChromium(chromium);

    // ---- first authorization: login form, approval page, 303 to the callback ----
    const context = await newContext(browser);
    const page = await context.newPage();
    const state1 = `${newState()} a/b+c=d&é`; // echoed exactly, whatever it takes to encode it
    let response = await page.goto(authorizeUrl(base, callbackUri, state1));
    check('step 1: authorize without a session lands on the login page', `${base}/login`, page.url());
    check('step 1: via 302 from /oauth/authorize', '302 GET /oauth/authorize',
        (await redirectChain(response.request())).slice(0, -1).join(', '));
    const cookies = await context.cookies(base);
    const jsession = cookies.find((c) => c.name === 'JSESSIONID');
    check('step 1: JSESSIONID cookie (HttpOnly, SameSite=Lax, Path=/)', 'true Lax /',
        jsession ? `${jsession.httpOnly} ${jsession.sameSite} ${jsession.path}` : 'no JSESSIONID cookie');
    check('step 2: login page title', 'Please sign in', await page.title());
    check('step 2: login form has a hidden _csrf', 1, await page.locator('input[type=hidden][name=_csrf]').count());

    await signIn(page, (u) => u.pathname === '/oauth/authorize');
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
    const chain1 = await clickToCallback(page, page.getByRole('button', { name: 'Authorize' }), callbackUri);
    check('step 5/6: 303 from POST /oauth/authorize to the callback', '303 POST /oauth/authorize -> 200 GET /callback', chain1);
    const code1 = checkCodeCallback('step 6', page.url(), callbackUri, state1, CODE_SHAPE);
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
        (await redirectChain(response.request())).join(' -> '));
    const code2 = checkCodeCallback('second run', page2.url(), callbackUri, state2, CODE_SHAPE);
    check('second run: a new code', true, code2 !== code1);
    token = await exchange(base, code2, callbackUri);
    check('second run: exchange status', 200, token.status);
    if (token.status !== 200) console.log(`     body: ${token.text}`);
    check('second run: live token reused', firstAccess, token.json?.access_token);
    check('second run: scope', 'read write', token.json?.scope);
    check('second run: expires_in at most 43199', true, typeof token.json?.expires_in === 'number' && token.json.expires_in <= 43199);
    await context.close();

    // ---- a wrong password, in a fresh context (no session) ----
    const context3 = await newContext(browser);
    const page3 = await context3.newPage();
    const state3 = newState();
    const before = callbacks.length;
    await page3.goto(authorizeUrl(base, callbackUri, state3));
    check('wrong password: login page first', `${base}/login`, page3.url());
    await signIn(page3, (u) => u.pathname === '/login' && u.search === '?error', 'not-the-password');
    check('wrong password: back on /login?error', `${base}/login?error`, page3.url());
    const text = await page3.locator('body').innerText();
    check('wrong password: the page says "Bad credentials"', true, text.includes('Bad credentials'));
    check('wrong password: still the login form', 1, await page3.locator('input[type=password][name=password]').count());
    check('wrong password: no callback', before, callbacks.length);
    // The remembered authorize request survives the failed attempt: the right password then finishes the flow
    // (approval still remembered: the user's token is live).
    await signIn(page3, (u) => u.href.startsWith(callbackUri));
    checkCodeCallback('right password after a wrong one', page3.url(), callbackUri, state3, CODE_SHAPE);
    await context3.close();

    // Last, because oauthsim then revokes what the code produced (RFC 6749 §4.1.2), which ends the remembered approval.
    const replay = await exchange(base, code1, callbackUri);
    check('replaying the first code: refused (single use)', `400 {"error":"invalid_grant","error_description":"Invalid authorization code: ${code1}"}`,
        `${replay.status} ${replay.text}`);
    await browser.close();
}

await run(main);
