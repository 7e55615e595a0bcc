#!/usr/bin/env bash
# The seed's own commands (seeds/000_8e80b63750555761.txt, steps 7 and 8) against the real binary,
# changing only host, port, code and refresh token. The browser part (steps 1-6) is driven with curl too.
# Usage: seed_curl.sh path/to/oauthsim
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/interop.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/interop.sh"
interop_init "$@"
failures=0
passes=0
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        passes=$((passes + 1)); echo "ok   $1"
    else
        failures=$((failures + 1)); echo "FAIL $1"; echo "     expected: $2"; echo "     actual:   $3"
    fi
}

# shellcheck disable=SC2119 # the default configuration: no arguments
interop_start_oauthsim

location() { sed -n 's/^Location: //Ip' | tr -d '\r'; }

# Steps 1-6 in a browser's place: returns a fresh code on stdout.
fresh_code() {
    local jar="$work/jar.$RANDOM" authorize="$base/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost"
    curl -s -c "$jar" -b "$jar" -o /dev/null "$authorize"
    local csrf
    csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="_csrf" type="hidden" value="\([^"]*\)".*/\1/p')
    curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode username=user --data-urlencode password=password \
        --data-urlencode "_csrf=$csrf" "$base/login"
    # Step 4: the approval page, or (approval remembered from a live token) the code redirect at once.
    local page="$work/page.$RANDOM" redirect
    # Read Location raw: curl's %{redirect_url} normalises http://localhost to http://localhost/.
    redirect=$(curl -s -c "$jar" -b "$jar" -o "$page" -D - "$authorize" | location)
    if [ -z "$redirect" ]; then
        csrf=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$page")
        redirect=$(curl -s -c "$jar" -b "$jar" -o /dev/null -D - \
            -d "user_oauth_approval=true&scope.read=true&scope.write=true&authorize=Authorize" \
            --data-urlencode "_csrf=$csrf" "$base/oauth/authorize" | location)
    fi
    printf %s "${redirect#http://localhost?code=}"
}

json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get(sys.argv[1], ""))' "$1"; }
json_keys() { python3 -c 'import json,sys; print(",".join(json.load(sys.stdin).keys()))'; }

# Step 7, form 1: the Postman form (everything in the query string).
code=$(fresh_code)
check "step 6 code shape" 1 "$(printf %s "$code" | grep -cE '^[0-9A-Za-z_-]{6}$')"
out=$(curl -s -w '\n%{http_code}' -X POST "$base/oauth/token?grant_type=authorization_code&code=$code&client_id=messaging-client&client_secret=secret&redirect_uri=http://localhost")
body=$(printf %s "$out" | head -n1); status=$(printf %s "$out" | tail -n1)
check "step 7 postman: status" 200 "$status"
check "step 7 postman: key order" "access_token,token_type,refresh_token,expires_in,scope" "$(printf %s "$body" | json_keys)"
check "step 7 postman: token_type" bearer "$(printf %s "$body" | json_field token_type)"
check "step 7 postman: expires_in" 43199 "$(printf %s "$body" | json_field expires_in)"
check "step 7 postman: scope" "read write" "$(printf %s "$body" | json_field scope)"
check "step 7 postman: access_token shape" 1 "$(printf %s "$body" | json_field access_token | grep -cE '^[A-Za-z0-9_-]{27}$')"

# Step 7, form 2: curl --data-urlencode (live-token reuse: the same tokens come back).
first_access=$(printf %s "$body" | json_field access_token)
code=$(fresh_code)
out=$(curl -s -w '\n%{http_code}' --data-urlencode "grant_type=authorization_code" --data-urlencode "code=$code" --data-urlencode "client_id=messaging-client" --data-urlencode "client_secret=secret" --data-urlencode "redirect_uri=http://localhost" -X POST "$base/oauth/token")
body=$(printf %s "$out" | head -n1); status=$(printf %s "$out" | tail -n1)
check "step 7 curl --data-urlencode: status" 200 "$status"
check "step 7 curl --data-urlencode: live token reused" "$first_access" "$(printf %s "$body" | json_field access_token)"
refresh=$(printf %s "$body" | json_field refresh_token)

# Step 7, form 3: curl -d, with the seed's misspelled client id "messging-client": must be refused.
code=$(fresh_code)
headers="$work/headers"
out=$(curl -s -D "$headers" -w '\n%{http_code}' -X POST -d "grant_type=authorization_code&code=$code&client_id=messging-client&client_secret=secret&redirect_uri=http://localhost" "$base/oauth/token")
body=$(printf %s "$out" | head -n1); status=$(printf %s "$out" | tail -n1)
check "step 7 curl -d (messging-client): status" 401 "$status"
check "step 7 curl -d (messging-client): body" '{"error":"invalid_client","error_description":"Bad client credentials"}' "$body"
check "step 7 curl -d (messging-client): WWW-Authenticate" 'Form realm="oauth2/client", error="invalid_client", error_description="Bad client credentials"' \
    "$(sed -n 's/^WWW-Authenticate: //Ip' "$headers" | tr -d '\r')"
# The same form with the client id spelled right works (the code was not consumed by the refused request).
out=$(curl -s -w '\n%{http_code}' -X POST -d "grant_type=authorization_code&code=$code&client_id=messaging-client&client_secret=secret&redirect_uri=http://localhost" "$base/oauth/token")
check "step 7 curl -d (corrected id): status" 200 "$(printf %s "$out" | tail -n1)"

# Step 8, form 1: the Postman form.
out=$(curl -s -w '\n%{http_code}' -X POST "$base/oauth/token?grant_type=refresh_token&refresh_token=$refresh&client_id=messaging-client&client_secret=secret")
body=$(printf %s "$out" | head -n1); status=$(printf %s "$out" | tail -n1)
check "step 8 postman: status" 200 "$status"
check "step 8 postman: same refresh token" "$refresh" "$(printf %s "$body" | json_field refresh_token)"
check "step 8 postman: new access token" 1 "$([ "$(printf %s "$body" | json_field access_token)" != "$first_access" ] && echo 1 || echo 0)"
check "step 8 postman: expires_in" 43199 "$(printf %s "$body" | json_field expires_in)"

# Step 8, form 2: curl --data-urlencode.
out=$(curl -s -w '\n%{http_code}' --data-urlencode "grant_type=refresh_token" --data-urlencode "refresh_token=$refresh" --data-urlencode "client_id=messaging-client" --data-urlencode "client_secret=secret" -X POST "$base/oauth/token")
body=$(printf %s "$out" | head -n1); status=$(printf %s "$out" | tail -n1)
check "step 8 curl: status" 200 "$status"
check "step 8 curl: same refresh token" "$refresh" "$(printf %s "$body" | json_field refresh_token)"
check "step 8 curl: scope" "read write" "$(printf %s "$body" | json_field scope)"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
