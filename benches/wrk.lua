-- wrk script for the benchmark workloads: the same requests as the client programs send.
-- BENCH_WORKLOAD: create_idle | create_input | retrieve; BENCH_SESSION_ID: the session to
-- retrieve; BENCH_LABEL names the run. The URL given to wrk is the api base URL.
-- Prints one JSON line (the driver, run.py, reads it).

local workload = os.getenv("BENCH_WORKLOAD") or "create_idle"
local label = os.getenv("BENCH_LABEL") or "wrk"

init = function(args)
  local base = wrk.path
  wrk.headers["Authorization"] = "Bearer gk_personal_ada"
  wrk.headers["x-auth-key"] = "user_ada"
  wrk.headers["Accept"] = "application/json"
  if workload == "retrieve" then
    wrk.method = "GET"
    wrk.path = base .. "/sessions/" .. os.getenv("BENCH_SESSION_ID")
  else
    wrk.method = "POST"
    wrk.path = base .. "/agents/agent_pro/sessions"
    wrk.headers["Content-Type"] = "application/json"
    if workload == "create_input" then
      wrk.body = '{"input":"hello"}'
    else
      wrk.body = "{}"
    end
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"label":"%s","workload":"%s","requests":%d,"errors":%d,"seconds":%.4f,"rps":%.1f,'
      .. '"p50_us":%.1f,"p99_us":%.1f,"mean_us":%.1f}\n',
    label, workload, summary.requests, errors, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
