-- wrk script: POST an idle-stub create (no input) with a personal key.
wrk.method = "POST"
wrk.body = '{"name":"bench session"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer gk_personal_ada"
wrk.headers["x-auth-key"] = "user_ada"

done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests/s: %.0f (errors: %d)\n",
    summary.requests / (summary.duration / 1e6), bad))
end
