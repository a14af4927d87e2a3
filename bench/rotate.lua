-- wrk script for bench/run.sh.
-- Usage: wrk ... -s bench/rotate.lua http://127.0.0.1:PORT -- PATHS_FILE [gzip] [threads=N]
-- Each request takes the next path from PATHS_FILE (one per line).  With
-- threads=N (wrk's -t), thread t starts at (t-1)/N of the list, so the
-- threads walk disjoint stretches of it and a path is requested a second
-- time only after the threads together have made as many requests as there
-- are paths; without it, thread t starts at (t-1)*7919 modulo the list.
-- With "gzip" it sends Accept-Encoding: gzip as browsers do.  done() prints
-- one RESULT line with requests/s and latency percentiles in milliseconds,
-- for run.sh to parse.

local next_tid = 0

function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
end

local paths = {}
local idx = 0

function init(args)
  local f = assert(io.open(args[1], "r"), "cannot open " .. tostring(args[1]))
  for line in f:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  f:close()
  assert(#paths > 0, "no paths in " .. args[1])
  local nthreads = nil
  for i = 2, #args do
    local a = args[i]
    if a == "gzip" then
      wrk.headers["Accept-Encoding"] = "gzip"
    elseif a:match("^threads=%d+$") then
      nthreads = tonumber(a:sub(9))
    end
  end
  local t = (tid or 1) - 1
  if nthreads and nthreads > 0 then
    idx = math.floor(t * #paths / nthreads) % #paths
  else
    idx = (t * 7919) % #paths
  end
end

function request()
  idx = idx % #paths + 1
  return wrk.format("GET", paths[idx])
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d secs=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "bytes=%d non2xx3xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.bytes, e.status, e.connect, e.read, e.write, e.timeout))
end
