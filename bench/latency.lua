-- wrk -s bench/latency.lua: after the run, print the 95th percentile latency (microseconds) that wrk's own
-- --latency report leaves out (it prints 50/75/90/99); bench/run.py reads the P95_US line.
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\n", latency:percentile(95)))
end
