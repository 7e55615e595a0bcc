-- POST /oauth/token with the refresh_token grant and HTTP Basic client authentication (oauthsim).
-- Environment: REFRESH_TOKEN (required), CLIENT_ID (messaging-client), CLIENT_SECRET (secret).
-- Every request carries the same refresh token: oauthsim reuses refresh tokens (reuseRefreshToken=true),
-- so each request issues a new access token and the refresh token stays valid.
-- wrk -s bench/wrk/refresh.lua http://127.0.0.1:PORT
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local C = dofile(dir .. "common.lua")

local refresh = C.env("REFRESH_TOKEN")
local id = C.env("CLIENT_ID", "messaging-client")
local secret = C.env("CLIENT_SECRET", "secret")

wrk.method = "POST"
wrk.path = "/oauth/token"
wrk.body = "grant_type=refresh_token&refresh_token=" .. C.urlencode(refresh)
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = C.basic(id, secret)

done = C.report_done("refresh")
