-- wrk script for the load benchmark (benchmarks/bench.py runs it): one thread and one connection per
-- user (wrk -t N -c N), each signed in as its own officer, mixing the list page, record pages, new
-- records and submissions of the records it made. Responses are checked: anything but the expected
-- status counts as an error.
--   wrk -t50 -c50 -d30s -s benchmarks/load.lua http://127.0.0.1:PORT -- USERS_FILE SECONDS
-- USERS_FILE: one line per user, "sessionid<TAB>csrf secret<TAB>comma-separated ids of their records".
-- SECONDS: the run's duration; in its last 3 seconds only pages are read, so that no create or submit
-- is still in flight when wrk stops counting (rows counted afterwards must equal the counted submits).

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local me, pending, last = nil, {}, nil
ok = { list = 0, detail = 0, create = 0, submit = 0 }
bad = 0
bad_sample = ""

local function split(s, sep)
  local out = {}
  for part in string.gmatch(s, "([^" .. sep .. "]+)") do table.insert(out, part) end
  return out
end

function init(args)
  local n = 0
  for line in io.lines(args[1]) do
    n = n + 1
    if n == tid then
      local f = split(line, "\t")
      me = { session = f[1], csrf = f[2], ids = split(f[3] or "", ",") }
    end
  end
  math.randomseed(tid)
  writes_until = os.time() + tonumber(args[2] or "30") - 3
end

-- LOAD_FORWARDED_PROTO=https: a web node of the deployed stack asked directly, past nginx, as nginx
-- would ask it (the production settings then see a secure request).
local forwarded_proto = os.getenv("LOAD_FORWARDED_PROTO")

local function headers_for(post)
  local h = { ["Cookie"] = "sessionid=" .. me.session .. "; csrftoken=" .. me.csrf }
  if forwarded_proto then h["X-Forwarded-Proto"] = forwarded_proto end
  if post then
    h["Content-Type"] = "application/x-www-form-urlencoded"
    h["X-CSRFToken"] = me.csrf
    -- Over HTTPS (through nginx, the deployed stack) Django's CSRF check also wants the origin.
    if wrk.scheme == "https" or forwarded_proto == "https" then
      h["Origin"] = "https://" .. wrk.host .. (wrk.port and (":" .. wrk.port) or "")
    end
  end
  return h
end

-- The interference happened two hours before the run (never a fixed date: a record older than its
-- 3 working days is late and its submit refused without a reason). LOAD_OCCURRED_AT ("YYYY-MM-DD HH:MM",
-- Asia/Shanghai) overrides it; os.date reads the machine's clock in its own time zone, and two hours
-- back stays in the past for any zone within two hours east of Shanghai.
local function occurred_at()
  local at = os.getenv("LOAD_OCCURRED_AT") or os.date("%Y-%m-%d %H:%M", os.time() - 7200)
  return (string.gsub(string.gsub(at, " ", "+"), ":", "%%3A"))
end

local create_body = "matter=%E5%8E%8B%E5%8A%9B%E6%B5%8B%E8%AF%95%E4%BA%8B%E9%A1%B9&occurred_at=" .. occurred_at()
  .. "&place=%E5%8A%9E%E5%85%AC%E5%AE%A4&channel=oral&interferer_kind=insider&interferer_name=%E6%9D%8E%E6%9F%90"
  .. "&interferer_position=%E7%A7%91%E9%95%BF&content=%E8%A6%81%E6%B1%82%E4%BB%8E%E8%BD%BB%E5%A4%84%E7%90%86%E3%80%82"
  .. "&nature=procedural&response=refused"
  .. "&missing_evidence_reason=%E5%BD%93%E9%9D%A2%E5%8F%A3%E5%A4%B4%EF%BC%8C%E6%9C%AA%E5%BD%95%E9%9F%B3%E3%80%82"
  .. "&intent=draft"

function request()
  local r = math.random()
  if os.time() >= writes_until then r = 1 end
  if #pending > 0 and r < 0.15 then
    last = { kind = "submit", pk = table.remove(pending, 1) }
    return wrk.format("POST", "/records/" .. last.pk .. "/submit/", headers_for(true), "late_reason=")
  elseif r < 0.30 then
    last = { kind = "create" }
    return wrk.format("POST", "/records/new/", headers_for(true), create_body)
  elseif r < 0.60 and #me.ids > 0 then
    last = { kind = "detail" }
    return wrk.format("GET", "/records/" .. me.ids[math.random(#me.ids)] .. "/", headers_for(false))
  end
  last = { kind = "list" }
  local page = math.random(3)
  return wrk.format("GET", "/records/?page=" .. page, headers_for(false))
end

function response(status, hdrs, body)
  local kind = last.kind
  local location = hdrs["Location"] or hdrs["location"] or ""
  if kind == "create" and status == 302 then
    local pk = string.match(location, "/records/(%d+)/")
    if pk then
      table.insert(pending, pk)
      table.insert(me.ids, pk)
      ok.create = ok.create + 1
      return
    end
  elseif kind == "submit" and status == 302 and string.match(location, "/records/" .. last.pk .. "/$") then
    ok.submit = ok.submit + 1
    return
  elseif (kind == "list" or kind == "detail") and status == 200 then
    ok[kind] = ok[kind] + 1
    return
  end
  bad = bad + 1
  if bad_sample == "" then bad_sample = kind .. " " .. status .. " " .. location end
end

function done(summary, latency, requests)
  local t = { list = 0, detail = 0, create = 0, submit = 0, bad = 0 }
  local sample = ""
  for _, thread in ipairs(threads) do
    local o = thread:get("ok")
    for k, v in pairs(o) do t[k] = t[k] + v end
    t.bad = t.bad + thread:get("bad")
    if sample == "" then sample = thread:get("bad_sample") end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, '
    .. '"socket_errors": %d, "status_errors": %d, "list": %d, "detail": %d, "create": %d, "submit": %d, "unexpected": %d, "sample": "%s"}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, e.connect + e.read + e.write + e.timeout, e.status,
    t.list, t.detail, t.create, t.submit, t.bad, sample))
end
