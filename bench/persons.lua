-- persons.lua: wrk script for bench/run.sh's "read one learner" row. Every
-- request asks for a different, uniformly random person id in 1..BENCH_MAX_ID,
-- so the server cannot answer from one hot row; the nginx reference gets the
-- same request lines (nginx maps every such path to one static file).
--
-- Environment (read once per wrk thread):
--   BENCH_PATH         path format with one %d (default /api/v1/persons/%d)
--   BENCH_MAX_ID       highest id (default 1000000)
--   BENCH_HEADER       optional extra header "Name: value" (run.sh sets it to
--                      "Cookie: guild_session=..." for guild and nginx alike)
--   BENCH_COUNT_STATUS 1: count every response's status (adds a response()
--                      hook, which makes wrk parse each response a little more)
--
-- done() prints one machine-readable line that run.sh parses:
--   BENCH requests=N duration_us=N bytes=N p50_us=N p99_us=N non2xx=N
--         connect=N read=N write=N timeout=N status=CODE:N,CODE:N
-- non2xx is exact (from the status counts) with BENCH_COUNT_STATUS=1;
-- otherwise it is wrk's own count of responses with status > 399.

local path_fmt = os.getenv("BENCH_PATH") or "/api/v1/persons/%d"
local max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1000000")
local extra = os.getenv("BENCH_HEADER")
local count_status = os.getenv("BENCH_COUNT_STATUS") == "1"

local threads = {}
local headers = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
  if extra and extra ~= "" then
    local name, value = extra:match("^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  statuses = {}
end

function request()
  return wrk.format("GET", string.format(path_fmt, math.random(max_id)), headers)
end

if count_status then
  function response(status, hdrs, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local all, non2xx, seen = {}, 0, false
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if type(s) == "table" then
      for code, n in pairs(s) do
        all[code] = (all[code] or 0) + n
        seen = true
      end
    end
  end
  local parts = {}
  for code, n in pairs(all) do
    table.insert(parts, string.format("%d:%d", code, n))
    if code < 200 or code > 299 then non2xx = non2xx + n end
  end
  table.sort(parts)
  if not seen then non2xx = summary.errors.status end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d status=%s\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99), non2xx,
    e.connect, e.read, e.write, e.timeout, seen and table.concat(parts, ",") or "-"))
end
