-- wrk script for bench/statements/run.sh: every request signs the statement
-- with a new address.
-- Usage: wrk ... -s bench/statements/sign.lua URL -- TOKEN PATH RUN
-- TOKEN is the signing form's csrf value, PATH the form's action, RUN a tag
-- that keeps addresses of separate runs apart.  done() prints one RESULT
-- line: the signatures acknowledged (303), other answers, and latency
-- percentiles in milliseconds.

local threads = {}
local next_tid = 0

function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
  table.insert(threads, thread)
end

local token, path, run
local n = 0
acked = 0
other = 0

function init(args)
  token, path, run = args[1], args[2], args[3]
end

function request()
  n = n + 1
  local body = "csrf=" .. token ..
    "&name=Firmante+de+prueba+" .. tid .. "+" .. n ..
    "&email=bench" .. run .. "t" .. tid .. "n" .. n .. "%40gmail.com" ..
    "&category=relative&years_served=&country=CU&visibility=full_name"
  return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if status == 303 then acked = acked + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("acked")
    o = o + t:get("other")
  end
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT acked=%d other=%d errors=%d secs=%.2f rps=%.1f p50=%.2f p99=%.2f max=%.2f\n",
    a, o, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    secs, a / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
