#!/usr/bin/env python3
# bench_serve.py - the planning meeting as a load: `funnelsim serve` under
# CLIENTS clients on loopback, for BENCH_SECONDS seconds.
#
# Usage: scripts/bench_serve.py [BINARY] [SCENARIO]
#        (CLIENTS=50 BENCH_SECONDS=60 THINK=10 in the environment)
#
# Each client starts at a random moment of the first THINK seconds (people
# do not all press at once), then sends POST /api/run with its own random
# settings (the juniors, the web inflow, the seed), waits for the answer,
# waits THINK seconds, and again until BENCH_SECONDS have passed.  Printed: the
# requests, the failed ones (no answer, or a status other than 200 and
# 503), the share answered 503, the p50 and p95 latency of those answered
# 200, and the server's peak resident memory (VmHWM of /proc/PID/status).
# The server is started with --port 0 and stopped with SIGTERM (exit 0
# expected).  Not a timed test: the figures depend on the machine.
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

binary = sys.argv[1] if len(sys.argv) > 1 else "build/funnelsim"
scenario = sys.argv[2] if len(sys.argv) > 2 else "scenarios/default.json"
clients = int(os.environ.get("CLIENTS", "50"))
seconds = float(os.environ.get("BENCH_SECONDS", "60"))
think = float(os.environ.get("THINK", "10"))

server = subprocess.Popen([binary, "serve", scenario, "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
url = server.stdout.readline().strip()
base, token = url.split("/?token=")
results = []            # (status, seconds)
lock = threading.Lock()
end = time.monotonic() + seconds


def client(k):
    rng = random.Random(k)
    time.sleep(rng.uniform(0, think))
    while time.monotonic() < end:
        body = {"set": {"team[1].count": rng.randint(4, 14),
                        "channels[0].arrivals.per_week": rng.randint(300, 800),
                        "seed": rng.randint(1, 10 ** 9)}}
        req = urllib.request.Request(base + "/api/run", data=json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/json"})
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except Exception:
            status = 0
        with lock:
            results.append((status, time.monotonic() - t0))
        time.sleep(think)


def peak_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
peak = peak_kib(server.pid)
server.send_signal(signal.SIGTERM)
code = server.wait(timeout=30)

n = len(results)
ok = sorted(s for st, s in results if st == 200)
busy = sum(1 for st, _ in results if st == 503)
failed = n - len(ok) - busy


def pct(p):
    return ok[min(len(ok) - 1, int(p * len(ok)))] if ok else float("nan")


print(f"bench-serve: {clients} clients, {seconds:.0f} s, think {think:.0f} s, "
      f"{os.cpu_count()} cores, scenario {scenario}")
print(f"bench-serve: requests {n}, failed {failed}, answered 503 {busy} "
      f"({100.0 * busy / max(n, 1):.1f}%)")
print(f"bench-serve: latency of the 200s: p50 {1000 * pct(0.50):.0f} ms, "
      f"p95 {1000 * pct(0.95):.0f} ms")
print(f"bench-serve: server peak memory {peak / 1024:.1f} MiB; exit {code}")
sys.exit(0 if failed == 0 and busy <= 0.2 * n and code == 0 else 1)
