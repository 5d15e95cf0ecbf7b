-- wrk script: prints one machine-readable line after the run (parsed by bench/run.sh).
-- Request rate = completed requests / wall time; latency percentiles in milliseconds;
-- "bad" = non-2xx/3xx answers, "socket_errors" = connect/read/write errors and timeouts.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d bad=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
