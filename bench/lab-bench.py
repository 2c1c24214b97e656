#!/usr/bin/env python3
"""Measures a lab through the REST API, as the page uses it.

From pressing "Boot in lab" (POST /api/v1/builds/ID/labs) with the images already built:
the router console's first event over SSE, the WAN-up check passing, every check done; then the
console latency from the guest to 10 SSE viewers (type `echo mark-N`, time until each viewer
sees `mark-N`). Usage: lab-bench.py URL TOKEN BUILD_ID
"""
import json
import re
import statistics
import sys
import threading
import time
import urllib.request

url, token, build = sys.argv[1], sys.argv[2], sys.argv[3]
H = {"Authorization": "Bearer " + token}


def call(method, path, body=None, ctype=None):
    headers = dict(H)
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url + path, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        data = r.read()
        return json.loads(data) if data else None


def sse(path, on_data, stop):
    req = urllib.request.Request(url + path, headers=dict(H, Accept="text/event-stream"))
    with urllib.request.urlopen(req, timeout=300) as r:
        for raw in r:
            if stop.is_set():
                return
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line.startswith("data:"):
                on_data(json.loads(line[5:]))


t0 = time.time()
lab = call("POST", f"/api/v1/builds/{build}/labs?shutdownCheck=true")["id"]
stop = threading.Event()
first = {}


def first_event(text):
    first.setdefault("t", time.time() - t0)


threading.Thread(target=sse, args=(f"/api/v1/labs/{lab}/console/router", first_event, stop), daemon=True).start()
wan_at = None
while True:
    s = call("GET", f"/api/v1/labs/{lab}")
    checks = {c["name"]: c for c in s["checks"]}
    wan = next(c for n, c in checks.items() if n.startswith("wan-up"))
    if wan_at is None and wan["status"] in ("PASSED", "FAILED"):
        wan_at = time.time() - t0
        wan_status = wan["status"]
    if all(c["status"] not in ("PENDING", "RUNNING") for c in s["checks"]):
        all_at = time.time() - t0
        break
    if time.time() - t0 > 240:
        print("checks did not finish within 240 s")
        sys.exit(1)
    time.sleep(0.2)
print(f"router console, first event over SSE after POST: {first.get('t', float('nan')):.2f} s")
print(f"WAN-up check {wan_status.lower()} after POST: {wan_at:.1f} s (check's own time since router start: {wan['atSeconds']} s)")
print(f"all {len(s['checks'])} checks done after POST: {all_at:.1f} s: "
      + ", ".join(f"{c['name']} {c['status'].lower()}" for c in s["checks"]))
call("DELETE", f"/api/v1/labs/{lab}")

# Latency with 10 viewers: a lab without the shutdown check, so the router stays up to type into.
lab = call("POST", f"/api/v1/builds/{build}/labs?shutdownCheck=false")["id"]
while any(c["status"] in ("PENDING", "RUNNING") for c in call("GET", f"/api/v1/labs/{lab}")["checks"]):
    time.sleep(0.5)
seen = [dict() for _ in range(10)]
tails = ["" for _ in range(10)]
for i in range(10):
    def on(text, i=i):
        # An SSE event is one chunk of console output, cut wherever the serial read ended: a mark
        # can arrive as "mark-10" + "03". Search the viewer's recent text, not each event alone
        # (reading events one by one lost 20-40 of the 100 samples).
        tails[i] = (tails[i] + text)[-512:]
        for word in re.findall(r"mark-\d{4}", tails[i]):
            if word not in seen[i]:
                seen[i][word] = time.time()
    threading.Thread(target=sse, args=(f"/api/v1/labs/{lab}/console/router", on, stop), daemon=True).start()
time.sleep(2)
latencies = []
for n in range(10):
    mark = f"mark-{1000 + n}"
    sent = time.time()
    # $((...)) so the typed line's echo never contains the mark: only the command's output does
    call("POST", f"/api/v1/labs/{lab}/console/router", f"echo mark-$((1000+{n}))\r".encode(), "text/plain")
    deadline = time.time() + 10
    while time.time() < deadline and not all(mark in v for v in seen):
        time.sleep(0.005)
    latencies += [v[mark] - sent for v in seen if mark in v]
    time.sleep(0.3)
stop.set()
call("DELETE", f"/api/v1/labs/{lab}")
if latencies:
    q = sorted(latencies)
    print(f"console round trip (POST typed line → guest shell → SSE) with 10 viewers, {len(q)} samples: "
          f"median {statistics.median(q) * 1000:.0f} ms, p90 {q[int(len(q) * 0.9) - 1] * 1000:.0f} ms, max {q[-1] * 1000:.0f} ms")
