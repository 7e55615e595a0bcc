// The OAuth 2.0 Device Authorization Grant (RFC 8628) with a real browser. Node's fetch plays the device: it asks
// oauthsim's device authorization endpoint for a device code and polls the token endpoint at the interval it was
// given, as a TV would. Debian's Chromium, driven by playwright-core, plays the user: it opens verification_uri,
// signs in on oauthsim's login form, types the user code (lower case, as people do), checks the client and scopes
// and approves. The device sees authorization_pending first, then its tokens, and the device code is then used up.
// Also: verification_uri_complete pre-fills the code (a used one is refused on the page), and a denial reaches the
// device as access_denied.
//
// Started by chromium_device.sh, which installs Chromium and playwright-core (lib/interop.sh); lib/harness.mjs has
// the environment, the checks, oauthsim and Chromium.
// Prints `ok ...` / `FAIL ...` per check and `N passed, M failed` last; exits 1 on any failure.
import {
    check, launchChromium, newContext, postForm, requireFromCache, run, signIn, startOauthsim, STEP_TIMEOUT, withTimeout,
} from './lib/harness.mjs';

const { chromium } = requireFromCache('playwright-core');

const POLL_LIMIT = 60000; // the device gives up polling after this long
const CLIENT_ID = 'tv-app';
const CLIENT_SECRET = 'tv-secret';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// POSTs a form as the device (HTTP Basic client authentication): {status, headers, text, json}.
const postAsDevice = (url, params) => postForm(url, CLIENT_ID, CLIENT_SECRET, params);

const deviceAuthorization = (base) => postAsDevice(`${base}/oauth/device_authorization`, { scope: 'read write' });
const poll = (base, deviceCode) => postAsDevice(`${base}/oauth/token`, { grant_type: DEVICE_GRANT, device_code: deviceCode });

// The device's polling loop (RFC 8628 §3.4–§3.5): every `interval` seconds, 5 s more after a slow_down, until an
// answer other than authorization_pending/slow_down. Returns every answer, the last one deciding.
async function pollUntilDecided(base, deviceCode, intervalSeconds) {
    const answers = [];
    let interval = intervalSeconds;
    const deadline = Date.now() + POLL_LIMIT;
    for (;;) {
        const answer = await poll(base, deviceCode);
        answers.push(answer);
        const error = answer.json?.error;
        if (error !== 'authorization_pending' && error !== 'slow_down') return answers;
        if (error === 'slow_down') interval += 5;
        if (Date.now() + interval * 1000 > deadline) return answers;
        await sleep(interval * 1000);
    }
}

function describe(answers) {
    return answers.map((a) => (a.status === 200 ? '200 tokens' : `${a.status} ${a.json?.error ?? a.text}`));
}

// Clicks a submit button of the verification page and waits for the page its POST answers with.
async function submitAndWait(page, verificationUri, buttonName) {
    await Promise.all([
        page.waitForResponse((r) => r.url() === verificationUri && r.request().method() === 'POST'),
        page.getByRole('button', { name: buttonName, exact: true }).click(),
    ]);
    await page.waitForLoadState();
}

async function main() {
    const base = await startOauthsim({
        client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scopes: ['read', 'write'],
        grant_types: [DEVICE_GRANT, 'refresh_token'], autoapprove: false,
    });
    console.log(`server at ${base}`);

    // ---- the device asks for a device code (RFC 8628 §3.1–§3.2) ----
    const issued = await deviceAuthorization(base);
    check('device authorization: status', 200, issued.status);
    if (issued.status !== 200) console.log(`     body: ${issued.text}`);
    check('device authorization: Content-Type', 'application/json;charset=UTF-8', issued.headers.get('content-type'));
    check('device authorization: Cache-Control', 'no-store', issued.headers.get('cache-control'));
    check('device authorization: key order', 'device_code,user_code,verification_uri,verification_uri_complete,expires_in,interval',
        Object.keys(issued.json ?? {}).join(','));
    const { device_code: deviceCode, user_code: userCode, verification_uri: verificationUri } = issued.json ?? {};
    check('device authorization: device_code shape (27 base64url)', true, /^[A-Za-z0-9_-]{27}$/.test(deviceCode ?? ''));
    check('device authorization: user_code shape (XXXX-XXXX, RFC 8628 §6.1)', true,
        /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/.test(userCode ?? ''));
    check('device authorization: verification_uri', `${base}/oauth/device_verification`, verificationUri);
    check('device authorization: verification_uri_complete', `${verificationUri}?user_code=${userCode}`,
        issued.json?.verification_uri_complete);
    check('device authorization: expires_in', 300, issued.json?.expires_in);
    check('device authorization: interval', 5, issued.json?.interval);

    // ---- the device starts polling at once, in the background, as a real one does ----
    const polling = pollUntilDecided(base, deviceCode, issued.json?.interval ?? 5);
    polling.catch(() => {}); // awaited below; an early browser failure must not leave it unhandled

    const browser = await launchChromium(chromium);

    // ---- the user opens verification_uri, signs in, types the code and approves (RFC 8628 §3.3) ----
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(verificationUri);
    check('verification: signed out, it sends the browser to the login page', `${base}/login`, page.url());
    check('verification: login page title', 'Please sign in', await page.title());
    await signIn(page, (u) => u.pathname === '/oauth/device_verification');
    check('verification: sign-in returns to verification_uri', verificationUri, page.url());
    check('verification: page title', 'Device activation', await page.title());
    check('verification: heading', 'Activate a device', (await page.locator('h1').textContent())?.trim());
    check('verification: the code field is empty', '', await page.locator('#user_code').inputValue());
    check('verification: the form has a hidden _csrf', 1, await page.locator('input[type=hidden][name=_csrf]').count());
    // Typed the way people do: lower case, without the dash. The server compares it normalised (RFC 8628 §6.1).
    await page.locator('#user_code').pressSequentially(userCode.toLowerCase().replace('-', ''));
    await submitAndWait(page, verificationUri, 'Continue');
    check('confirmation: the question names the client', `Do you allow "${CLIENT_ID}" on your device to access your protected resources?`,
        (await page.locator('#question').textContent())?.trim());
    check('confirmation: the scopes', 'read,write', (await page.locator('#scopes li').allTextContents()).join(','));
    check('confirmation: the code as the device shows it', `Only approve if your device shows the code ${userCode}.`,
        (await page.locator('#check').textContent())?.trim());
    await submitAndWait(page, verificationUri, 'Approve');
    check('approval: heading', 'Device activated', (await page.locator('h1').textContent())?.trim());
    check('approval: message', `"${CLIENT_ID}" on your device can now access your protected resources. You can close this page.`,
        (await page.locator('#message').textContent())?.trim());

    // ---- the device's polling ends with tokens (RFC 8628 §3.5) ----
    const answers = await withTimeout(polling, POLL_LIMIT + STEP_TIMEOUT, 'polling');
    const seen = describe(answers);
    console.log(`     polls: ${seen.join(', ')}`);
    check('polling: authorization_pending first', '400 authorization_pending', seen[0]);
    check('polling: then tokens', '200 tokens', seen.at(-1));
    check('polling: never too fast (no slow_down)', false, seen.includes('400 slow_down'));
    const pending = answers[0];
    check('polling: the pending answer, exactly', '{"error":"authorization_pending","error_description":"The authorization request is still pending"}',
        pending.text);
    check('polling: the pending answer is no-store', 'no-store', pending.headers.get('cache-control'));
    const token = answers.at(-1);
    check('tokens: Content-Type', 'application/json;charset=UTF-8', token.headers.get('content-type'));
    check('tokens: Cache-Control', 'no-store', token.headers.get('cache-control'));
    check('tokens: key order', 'access_token,token_type,refresh_token,expires_in,scope', Object.keys(token.json ?? {}).join(','));
    check('tokens: token_type', 'bearer', token.json?.token_type);
    check('tokens: scope', 'read write', token.json?.scope);
    check('tokens: expires_in about 12 h', true, token.json?.expires_in > 43100 && token.json?.expires_in <= 43200);
    check('tokens: access_token shape (27 base64url)', true, /^[A-Za-z0-9_-]{27}$/.test(token.json?.access_token ?? ''));
    check('tokens: refresh_token shape (27 base64url)', true, /^[A-Za-z0-9_-]{27}$/.test(token.json?.refresh_token ?? ''));

    const again = await poll(base, deviceCode);
    check('the device code is used up', '400 {"error":"invalid_grant","error_description":"Invalid device code"}',
        `${again.status} ${again.text}`);

    // ---- verification_uri_complete pre-fills the code; a used code is refused on the page ----
    await page.goto(`${verificationUri}?user_code=${userCode}`);
    check('verification_uri_complete: no second login (session cookie)', `${verificationUri}?user_code=${userCode}`, page.url());
    check('verification_uri_complete: the code is pre-filled', userCode, await page.locator('#user_code').inputValue());
    await submitAndWait(page, verificationUri, 'Continue');
    check('a used code: refused on the page', `The code "${userCode}" has already been used.`,
        (await page.locator('[role=alert]').textContent())?.trim());

    // ---- a second device, denied: the device learns access_denied ----
    const second = await deviceAuthorization(base);
    check('second device: status', 200, second.status);
    const completeUri = second.json?.verification_uri_complete;
    await page.goto(completeUri);
    check('second device: the code is pre-filled', second.json?.user_code, await page.locator('#user_code').inputValue());
    await submitAndWait(page, verificationUri, 'Continue');
    await submitAndWait(page, verificationUri, 'Deny');
    check('second device: denied', 'Access denied', (await page.locator('h1').textContent())?.trim());
    const denied = await poll(base, second.json?.device_code);
    check('second device: the device learns access_denied',
        '400 {"error":"access_denied","error_description":"The user denied the authorization request"}',
        `${denied.status} ${denied.text}`);
    await context.close();
    await browser.close();
}

await run(main);
