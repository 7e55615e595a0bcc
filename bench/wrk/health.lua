-- GET /health on oauthsim: the trivial route, i.e. the ceiling of the HTTP stack.
-- wrk -s bench/wrk/health.lua http://127.0.0.1:PORT
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local C = dofile(dir .. "common.lua")

wrk.method = "GET"
wrk.path = "/health"
wrk.headers["Accept"] = "application/json"

done = C.report_done("health")
