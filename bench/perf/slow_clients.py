#!/usr/bin/env python3
"""A normal client's searches beside many slow connections (issue 16, hostile clients).

    slow_clients.py HOST PORT QUERIES [SLOW] [SEARCHES]

Times SEARCHES (default 300) GET /search requests of a normal client, each on a new
connection as a browser's first request would be, from the paths in QUERIES (one
"/search?..." per line, taken in order). After a warm-up round of the same searches (so
that every round meets the same caches), three rounds alternate without and with SLOW
(default 2000) connections open that each began a request header and never finished it,
so each holds a session in the server: without, with, without. The slow connections are
opened before their round and closed after it, inside the server's header deadline (10 s
by default), and the script checks that the server still held every one of them when the
round ended. Prints one JSON object: per round the searches' p50, p99 and max in
milliseconds, non-200 answers, and how many slow connections were still open.
"""
import json
import resource
import socket
import sys
import time

SLOW_HEADER = b"GET /search?q=parka HTTP/1.1\r\nHost: slow\r\nX-Slow: "


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100.0 * len(ordered)))]


def search(host, port, path):
    """One GET on a new connection; (status, milliseconds)."""
    start = time.perf_counter()
    with socket.create_connection((host, port), timeout=30) as conn:
        conn.sendall(("GET %s HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n" % path).encode())
        data = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    return status, elapsed_ms


def still_open(sock):
    """True while the server has neither closed nor answered the connection."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_DONTWAIT)  # b"": closed; bytes: answered (408, 503)
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False


def run_round(host, port, paths, slow_count):
    slow = []
    try:
        for _ in range(slow_count):
            sock = socket.create_connection((host, port), timeout=30)
            sock.sendall(SLOW_HEADER)
            slow.append(sock)
        opened = time.perf_counter()
        times, failures = [], 0
        for path in paths:
            status, elapsed_ms = search(host, port, path)
            times.append(elapsed_ms)
            failures += status != 200
        searched_s = time.perf_counter() - opened
        held = sum(1 for sock in slow if still_open(sock))
    finally:
        for sock in slow:
            sock.close()
    return {
        "slow_connections": slow_count,
        "slow_still_open": held,
        "searches": len(times),
        "searches_took_s": round(searched_s, 2),
        "non_200": failures,
        "p50_ms": round(percentile(times, 50), 2),
        "p99_ms": round(percentile(times, 99), 2),
        "max_ms": round(max(times), 2),
    }


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    host, port, queries = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    slow_count = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 300
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < slow_count + 256:
        sys.exit("slow_clients.py: RLIMIT_NOFILE hard limit %d is below %d" % (hard, slow_count + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, slow_count + 256), hard))
    with open(queries) as lines:
        paths = [line.strip() for line in lines if line.strip()]
    paths = (paths * (count // max(1, len(paths)) + 1))[:count]
    run_round(host, port, paths, 0)  # a warm-up: every round then meets the same caches
    rounds = [run_round(host, port, paths, n) for n in (0, slow_count, 0)]
    json.dump({"rounds": rounds}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
