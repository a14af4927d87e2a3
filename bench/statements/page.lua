-- wrk script for bench/statements/run.sh: the statement's public page,
-- read while it is being signed.  done() prints one RESULT line.
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d non2xx=%d secs=%.2f rps=%.1f p50=%.2f p99=%.2f max=%.2f\n",
    summary.requests, summary.errors.status, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
