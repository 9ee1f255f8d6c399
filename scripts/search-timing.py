#!/usr/bin/env python3
"""Times /search over a fixed query list on one keep-alive connection.

    search-timing.py BASE_URL QUERIES_FILE [ROUNDS]

Each query is asked once to warm up, then ROUNDS times (round robin over the list). Prints the
p50/p95/p99/max of all timed requests, the slowest queries and how many results each found.
"""
import gzip
import http.client
import re
import sys
import time
import urllib.parse

base, queries_file = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
url = urllib.parse.urlparse(base)
queries = [l.strip() for l in open(queries_file, encoding="utf-8") if l.strip() and not l.startswith("#")]
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
headers = {"Accept-Encoding": "gzip", "User-Agent": "Mozilla/5.0 (bench-search)"}


def ask(q):
    path = "/search?q=" + urllib.parse.quote(q)
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    res = conn.getresponse()
    body = res.read()
    elapsed = (time.perf_counter() - started) * 1000
    if res.status != 200:
        sys.exit(f"{path}: HTTP {res.status}")
    if res.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return elapsed, body.decode("utf-8")


found = {}
for q in queries:
    _, html = ask(q)
    m = re.search(r"找到(超过)? (\d+) 条结果", html)
    found[q] = ("> " if m and m.group(1) else "") + (m.group(2) if m else "0")
times, per_query = [], {q: [] for q in queries}
for _ in range(rounds):
    for q in queries:
        ms, _ = ask(q)
        times.append(ms)
        per_query[q].append(ms)
times.sort()


def pct(p):
    return times[min(len(times) - 1, int(len(times) * p))]


print(f"{len(queries)} queries x {rounds} rounds = {len(times)} requests, one connection, page cache off")
print(f"p50 {pct(0.50):.1f} ms   p95 {pct(0.95):.1f} ms   p99 {pct(0.99):.1f} ms   max {times[-1]:.1f} ms")
print("slowest queries (median ms, results):")
for q in sorted(queries, key=lambda q: -sorted(per_query[q])[rounds // 2])[:8]:
    print(f"  {q:<16} {sorted(per_query[q])[rounds // 2]:7.1f}  {found[q]}")
