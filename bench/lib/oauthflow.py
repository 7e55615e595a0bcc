#!/usr/bin/env python3
"""A minimal raw-socket client for oauthsim's benchmarks (no dependencies beyond Python's standard library).

  oauthflow.py token BASE            one complete code flow; prints the refresh token
  oauthflow.py loop health BASE N    N x GET /health on one keep-alive connection
  oauthflow.py loop refresh BASE N   one code flow, then N x the refresh grant on one keep-alive connection
"""
import base64
import json
import re
import socket
import sys
import urllib.parse


class Connection:
    def __init__(self, base):
        self.host, port = re.match(r"http://([^:/]+):(\d+)", base).groups()
        self.port = int(port)
        self.sock = socket.create_connection((self.host, self.port))

    def exchange(self, raw):
        self.sock.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?im)^content-length: *(\d+)", head).group(1))
        while len(body) < length:
            body += self.sock.recv(65536)
        return head.decode("latin-1"), body

    def request(self, method, path, body=b"", headers=()):
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"] + list(headers)
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        return self.exchange(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


FORM = ("Content-Type: application/x-www-form-urlencoded",)
BASIC = "Authorization: Basic " + base64.b64encode(b"messaging-client:secret").decode()


def session_cookie(head):
    return re.search(r"(?im)^set-cookie: *JSESSIONID=([^;]+)", head).group(1)


def code_flow(conn):
    """Steps 1-7 of the seed flow against the embedded default; returns the token response as a dict."""
    authorize = "/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost"
    head, _ = conn.request("GET", authorize)
    sid = session_cookie(head)
    _, page = conn.request("GET", "/login", headers=(f"Cookie: JSESSIONID={sid}",))
    csrf = re.search(rb'name="_csrf" type="hidden" value="([^"]+)"', page).group(1).decode()
    head, _ = conn.request("POST", "/login", f"username=user&password=password&_csrf={csrf}".encode(),
                           FORM + (f"Cookie: JSESSIONID={sid}",))
    sid = session_cookie(head)
    head, page = conn.request("GET", authorize, headers=(f"Cookie: JSESSIONID={sid}",))
    if not head.startswith("HTTP/1.1 303"):  # the approval page, unless approval is remembered
        csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
        head, _ = conn.request("POST", "/oauth/authorize",
                               f"user_oauth_approval=true&scope.read=true&scope.write=true&_csrf={csrf}".encode(),
                               FORM + (f"Cookie: JSESSIONID={sid}",))
    code = re.search(r"code=([^&\s]+)", head).group(1)
    _, body = conn.request("POST", "/oauth/token",
                           f"grant_type=authorization_code&code={code}&redirect_uri=http://localhost".encode(),
                           FORM + (BASIC,))
    return json.loads(body)


def main(argv):
    if len(argv) >= 3 and argv[1] == "token":
        print(code_flow(Connection(argv[2]))["refresh_token"])
        return 0
    if len(argv) == 5 and argv[1] == "loop":
        mode, conn, n = argv[2], Connection(argv[3]), int(argv[4])
        if mode == "refresh":
            refresh = code_flow(conn)["refresh_token"]
            body = f"grant_type=refresh_token&refresh_token={urllib.parse.quote(refresh)}".encode()
            for _ in range(n):
                head, _ = conn.request("POST", "/oauth/token", body, FORM + ("Accept: application/json", BASIC))
                assert head.startswith("HTTP/1.1 200"), head
        elif mode == "health":
            for _ in range(n):
                head, _ = conn.request("GET", "/health", headers=("Accept: application/json",))
                assert head.startswith("HTTP/1.1 200"), head
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
