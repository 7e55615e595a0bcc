-- Shared helpers for the oauthsim benchmark's wrk scripts (loaded with dofile by the scripts beside it).
--
-- report_done(): wrk calls done() once, in the main Lua state, after the run. It prints one line
--   WRK_JSON {"requests":...,"rps":...,"latency_us":{"p50":...,"p99":...},...}
-- which bench/run.sh picks out of wrk's stdout. wrk itself counts as "status errors" only responses
-- with a status >= 400 (3xx counts as success), so the scripts below check nothing else per response:
-- defining response() would make wrk hand every body to Lua and cost throughput.

local M = {}

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

function M.base64(data)
   return ((data:gsub(".", function(x)
      local r, b = "", x:byte()
      for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end
      return r
   end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
      if #x < 6 then return "" end
      local c = 0
      for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
      return b64chars:sub(c + 1, c + 1)
   end) .. ({ "", "==", "=" })[#data % 3 + 1])
end

-- application/x-www-form-urlencoded value encoding (RFC 1866 / WHATWG: unreserved kept, space as %20).
function M.urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function M.env(name, default)
   local v = os.getenv(name)
   if v == nil or v == "" then
      if default == nil then error("environment variable " .. name .. " is required") end
      return default
   end
   return v
end

function M.basic(id, secret)
   return "Basic " .. M.base64(id .. ":" .. secret)
end

function M.report_done(label)
   return function(summary, latency, requests)
      local secs = summary.duration / 1e6
      local e = summary.errors
      local parts = {
         string.format('"label":"%s"', label),
         string.format('"requests":%d', summary.requests),
         string.format('"duration_s":%.3f', secs),
         string.format('"rps":%.1f', secs > 0 and summary.requests / secs or 0),
         string.format('"bytes":%d', summary.bytes),
         string.format('"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}',
            e.connect, e.read, e.write, e.status, e.timeout),
         string.format('"latency_us":{"mean":%.1f,"stdev":%.1f,"min":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}',
            latency.mean, latency.stdev, latency.min,
            latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
            latency.max),
      }
      io.write("WRK_JSON {" .. table.concat(parts, ",") .. "}\n")
   end
end

return M
