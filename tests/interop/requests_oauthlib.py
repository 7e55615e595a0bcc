#!/usr/bin/env python3
"""requests-oauthlib (Debian python3-requests-oauthlib) against a running oauthsim.

Usage: requests_oauthlib.py BASE_URL   (BASE_URL as printed by `oauthsim listening on ...`)

The server must know the seed client (messaging-client / secret, redirect http://localhost, scopes read write,
user user / password) and a client `backend` / `backend-secret` with only the client_credentials grant and
scope read. Started by requests_oauthlib.sh, which writes that configuration.

Prints one line per check (`ok   ...` / `FAIL ...`) and `N passed, M failed` last; exits 1 on any failure.
"""
import os
import re
import sys
import traceback
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

# This file is named like the library it tests: drop its own directory from the module path (Python puts the
# script's directory first), or `import requests_oauthlib` would import this file.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]

# oauthlib refuses http:// token endpoints and redirect URIs unless told otherwise.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

import requests  # noqa: E402
from oauthlib.oauth2 import BackendApplicationClient  # noqa: E402
from oauthlib.oauth2.rfc6749.errors import InvalidClientError  # noqa: E402
from requests_oauthlib import OAuth2Session  # noqa: E402

TIMEOUT = 10  # seconds, for every HTTP request
CLIENT_ID = "messaging-client"
CLIENT_SECRET = "secret"
REDIRECT_URI = "http://localhost"
SCOPES = ["read", "write"]
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{27}$")
CODE_RE = re.compile(r"^[0-9A-Za-z_-]{6}$")

passes = 0
failures = 0


def check(name, expected, actual):
    global passes, failures
    if expected == actual:
        passes += 1
        print("ok   " + name, flush=True)
    else:
        failures += 1
        print("FAIL " + name, flush=True)
        print("     expected: %r" % (expected,))
        print("     actual:   %r" % (actual,), flush=True)


def fail(name, detail):
    global failures
    failures += 1
    print("FAIL " + name, flush=True)
    for line in str(detail).rstrip().splitlines():
        print("     " + line)
    sys.stdout.flush()


def note(text):
    print("     " + text, flush=True)


class Forms(HTMLParser):
    """Collects every <input> (name, type, value, checked) of a page."""

    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))

    def value(self, name):
        for i in self.inputs:
            if i.get("name") == name:
                return i.get("value")
        return None

    def radios(self, name):
        return sorted(i.get("value") for i in self.inputs if i.get("name") == name and i.get("type") == "radio")


def parse_inputs(html):
    p = Forms()
    p.feed(html)
    return p


class TokenRequests:
    """Response hook: records what the library sent to the token endpoint and the raw answer."""

    def __init__(self):
        self.seen = []

    def __call__(self, response, *args, **kwargs):
        if urlsplit(response.url).path == "/oauth/token":
            self.seen.append(response)
        return response

    def last(self):
        return self.seen[-1] if self.seen else None


def describe(response):
    """One-line summaries of a recorded token request: its client authentication and its form body."""
    req = response.request
    auth = req.headers.get("Authorization")
    body = req.body.decode() if isinstance(req.body, bytes) else (req.body or "")
    form = parse_qs(body, keep_blank_values=True)
    lines = [
        "%s %s" % (req.method, req.url),
        "Authorization: %s" % (auth if auth else "(none)"),
        "Content-Type: %s" % req.headers.get("Content-Type"),
        "body: %s" % body,
        "answer: %d %s" % (response.status_code, response.text if response.status_code != 200 else "(token JSON)"),
    ]
    return lines, auth, form


def no_proxy_session(session):
    # Never route 127.0.0.1 through an http_proxy from the environment.
    session.trust_env = False
    return session


def browser_login_and_approve(base, authorization_url):
    """Steps 1-6 in a browser's place: follows oauthsim's redirects by hand and stops at the first redirect
    that leaves oauthsim (the 303 to http://localhost?code=...), which is returned, not followed."""
    browser = no_proxy_session(requests.Session())
    server = urlsplit(base).netloc

    def walk(response, hops=10):
        while response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if urlsplit(target).netloc != server:
                return response, response.headers["Location"]
            if hops == 0:
                raise RuntimeError("too many redirects, last to " + target)
            hops -= 1
            response = browser.get(target, allow_redirects=False, timeout=TIMEOUT)
        return response, None

    # Step 1: no session yet -> 302 /login.
    first = browser.get(authorization_url, allow_redirects=False, timeout=TIMEOUT)
    check("browser: authorize without session is 302 to /login",
          (302, "/login"), (first.status_code, urlsplit(first.headers.get("Location", "")).path))
    page, left = walk(first)
    # Step 2: the login form.
    csrf = parse_inputs(page.text).value("_csrf")
    check("browser: login page has a _csrf token", True, bool(csrf))
    # Step 3: log in -> back to the remembered authorize URL.
    posted = browser.post(urljoin(page.url, "/login"), timeout=TIMEOUT, allow_redirects=False,
                          data={"username": "user", "password": "password", "_csrf": csrf})
    check("browser: login is 302", 302, posted.status_code)
    page, left = walk(posted)
    if left is None:
        # Step 4: the approval page.
        check("browser: approval page", (200, True), (page.status_code, "<h1>OAuth Approval</h1>" in page.text))
        form = parse_inputs(page.text)
        check("browser: approval page radios scope.read", ["false", "true"], form.radios("scope.read"))
        check("browser: approval page radios scope.write", ["false", "true"], form.radios("scope.write"))
        csrf = form.value("_csrf")
        check("browser: approval page has a _csrf token", True, bool(csrf))
        # Step 5: approve both scopes.
        posted = browser.post(urljoin(page.url, "/oauth/authorize"), timeout=TIMEOUT, allow_redirects=False,
                              data={"user_oauth_approval": "true", "scope.read": "true", "scope.write": "true",
                                    "authorize": "Authorize", "_csrf": csrf})
        check("browser: approval answer is 303", 303, posted.status_code)
        page, left = walk(posted)
    if left is None:
        raise RuntimeError("no redirect to the client; last page %s %d:\n%s" % (page.url, page.status_code,
                                                                                page.text[:500]))
    return left


def code_flow(base):
    token_url = base + "/oauth/token"
    oauth = no_proxy_session(OAuth2Session(CLIENT_ID, redirect_uri=REDIRECT_URI, scope=SCOPES))
    recorder = TokenRequests()
    oauth.hooks["response"].append(recorder)

    url, state = oauth.authorization_url(base + "/oauth/authorize")
    note("authorization URL: " + url)
    query = parse_qs(urlsplit(url).query)
    check("authorization_url: response_type, client_id, redirect_uri, scope",
          (["code"], [CLIENT_ID], [REDIRECT_URI], ["read write"]),
          (query.get("response_type"), query.get("client_id"), query.get("redirect_uri"), query.get("scope")))

    callback = browser_login_and_approve(base, url)
    note("callback: " + callback)
    cb = urlsplit(callback)
    cbq = parse_qs(cb.query)
    check("callback goes to http://localhost", ("http", "localhost", ""), (cb.scheme, cb.netloc, cb.path))
    check("callback code shape", True, bool(CODE_RE.match((cbq.get("code") or [""])[0])))
    check("callback echoes state", [state], cbq.get("state"))

    # Step 7: the code exchange, as requests-oauthlib does it.
    token = oauth.fetch_token(token_url, authorization_response=callback, client_secret=CLIENT_SECRET,
                              timeout=TIMEOUT)
    sent = recorder.last()
    lines, auth, form = describe(sent)
    note("fetch_token sent:")
    for line in lines:
        note("  " + line)
    check("fetch_token (code): status 200", 200, sent.status_code)
    check("fetch_token (code): Cache-Control no-store", "no-store", sent.headers.get("Cache-Control"))
    raw = sent.json()
    check("fetch_token (code): key order", ["access_token", "token_type", "refresh_token", "expires_in", "scope"],
          list(raw.keys()))
    check("fetch_token (code): token_type", "bearer", token.get("token_type"))
    check("fetch_token (code): expires_in", 43199, token.get("expires_in"))
    check("fetch_token (code): scope answered", "read write", raw.get("scope"))
    check("fetch_token (code): scope in the token dict", ["read", "write"], token.get("scope"))
    check("fetch_token (code): refresh_token present", True, bool(TOKEN_RE.match(token.get("refresh_token", ""))))
    check("fetch_token (code): access_token 27 characters", True,
          bool(TOKEN_RE.match(token.get("access_token", ""))))
    check("fetch_token (code): expires_at set by oauthlib", True, isinstance(token.get("expires_at"), float))

    # Step 8: refresh. requests-oauthlib puts client_id/client_secret given as kwargs into the body.
    first_access, first_refresh = token["access_token"], token["refresh_token"]
    refreshed = oauth.refresh_token(token_url, refresh_token=first_refresh, client_id=CLIENT_ID,
                                    client_secret=CLIENT_SECRET, timeout=TIMEOUT)
    sent = recorder.last()
    lines, auth, form = describe(sent)
    note("refresh_token sent:")
    for line in lines:
        note("  " + line)
    check("refresh_token: status 200", 200, sent.status_code)
    raw = sent.json()
    check("refresh_token: refresh_token in the answer", True, "refresh_token" in raw)
    check("refresh_token: same refresh token", first_refresh, refreshed.get("refresh_token"))
    check("refresh_token: new access token", True,
          refreshed.get("access_token") != first_access and bool(TOKEN_RE.match(refreshed.get("access_token", ""))))
    check("refresh_token: token_type", "bearer", refreshed.get("token_type"))
    check("refresh_token: expires_in", 43199, refreshed.get("expires_in"))
    check("refresh_token: scope", "read write", raw.get("scope"))


def client_credentials(base):
    token_url = base + "/oauth/token"
    client = BackendApplicationClient(client_id="backend")
    oauth = no_proxy_session(OAuth2Session(client=client))
    recorder = TokenRequests()
    oauth.hooks["response"].append(recorder)
    token = oauth.fetch_token(token_url, client_id="backend", client_secret="backend-secret", timeout=TIMEOUT)
    sent = recorder.last()
    lines, auth, form = describe(sent)
    note("fetch_token (client_credentials) sent:")
    for line in lines:
        note("  " + line)
    raw = sent.json()
    check("client_credentials: status 200", 200, sent.status_code)
    check("client_credentials: token_type", "bearer", token.get("token_type"))
    check("client_credentials: no refresh_token", False, "refresh_token" in raw or "refresh_token" in token)
    check("client_credentials: access_token 27 characters", True,
          bool(TOKEN_RE.match(token.get("access_token", ""))))
    check("client_credentials: expires_in", 43199, token.get("expires_in"))
    check("client_credentials: scope", "read", raw.get("scope"))


def wrong_secret(base):
    token_url = base + "/oauth/token"
    oauth = no_proxy_session(OAuth2Session(client=BackendApplicationClient(client_id="backend")))
    recorder = TokenRequests()
    oauth.hooks["response"].append(recorder)
    name = "wrong client secret: requests-oauthlib raises InvalidClientError"
    try:
        oauth.fetch_token(token_url, client_id="backend", client_secret="not-the-secret", timeout=TIMEOUT)
    except InvalidClientError as e:
        sent = recorder.last()
        note("raised as expected: %s: %s" % (type(e).__name__, e))
        check(name, ("invalid_client", "Bad client credentials"), (e.error, e.description))
        check("wrong client secret: 401 with the Basic challenge", (401, 'Basic realm="oauth2/client"'),
              (sent.status_code, sent.headers.get("WWW-Authenticate")))
        return
    except Exception as e:  # noqa: BLE001 - any other outcome is a failure, with its details
        fail(name, "raised %s instead: %s" % (type(e).__name__, e))
        return
    fail(name, "no exception: the server accepted the wrong secret")


def main():
    if len(sys.argv) != 2:
        print("usage: requests_oauthlib.py BASE_URL", file=sys.stderr)
        return 2
    base = sys.argv[1].rstrip("/")
    import requests_oauthlib
    import oauthlib
    note("requests-oauthlib %s, oauthlib %s, requests %s, python %s" % (
        requests_oauthlib.__version__, oauthlib.__version__, requests.__version__, sys.version.split()[0]))
    for part in (code_flow, client_credentials, wrong_secret):
        try:
            part(base)
        except Exception:  # noqa: BLE001 - report and go on with the next part
            fail(part.__name__ + ": unexpected exception", traceback.format_exc())
    print("%d passed, %d failed" % (passes, failures), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
