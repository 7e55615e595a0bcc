-- POST /token with the client_credentials grant and HTTP Basic client authentication (the peer,
-- node-oidc-provider; bench/peer/server.mjs). Environment: PEER_CLIENT_ID (bench-client),
-- PEER_CLIENT_SECRET (bench-secret), PEER_TOKEN_PATH (/token), PEER_SCOPE ("read write").
-- wrk -s bench/wrk/client_credentials.lua http://127.0.0.1:PORT
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local C = dofile(dir .. "common.lua")

local id = C.env("PEER_CLIENT_ID", "bench-client")
local secret = C.env("PEER_CLIENT_SECRET", "bench-secret")
local scope = C.env("PEER_SCOPE", "read write")

wrk.method = "POST"
wrk.path = C.env("PEER_TOKEN_PATH", "/token")
wrk.body = "grant_type=client_credentials&scope=" .. C.urlencode(scope)
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = C.basic(id, secret)

done = C.report_done("peer_client_credentials")
