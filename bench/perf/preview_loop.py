#!/usr/bin/env python3
"""Keeps a console preview running against a live tailor-server until STOP_FILE exists, for
scripts/bench: the proposed config is the live one with a brand boost added (so the replay
does real work), each preview over at most MAX_RANKINGS logged rankings. Prints one JSON line:
previews finished with their rankings and elapsed_ms, and those that failed with why (over
the time bound, say): the load on the searches is there either way.

usage: preview_loop.py BASE_URL TOKEN STOP_FILE [MAX_RANKINGS]"""
import json
import os
import sys
import time
import urllib.request


def call(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def main():
    base, token, stop_file = sys.argv[1:4]
    max_rankings = int(sys.argv[4]) if len(sys.argv) > 4 else 100000
    config = call(base, token, "GET", "/admin/scoring")["config"]
    variant = config["variants"][config.get("default_variant", "default")]
    business = variant.setdefault("business", {})
    business.setdefault("rules", []).append(
        {"name": "bench-boost", "action": "boost", "weight": 0.5, "match": {"brand": "Puma"}})
    finished, failed, cancelled = [], [], []
    while not os.path.exists(stop_file):
        started = call(base, token, "POST", "/admin/preview",
                       {"config": config, "max_rankings": max_rankings, "from": 0})
        while True:
            status = call(base, token, "GET", "/admin/preview/" + started["id"])
            if status["status"] != "running":
                break
            if os.path.exists(stop_file):
                call(base, token, "DELETE", "/admin/preview/" + started["id"])
            time.sleep(0.2)
        if status["status"] == "done":
            finished.append({"rankings": status["report"]["rankings"],
                             "elapsed_ms": status["elapsed_ms"]})
        elif status["status"] == "cancelled":
            cancelled.append({"rankings_read": status["rankings_read"],
                              "elapsed_ms": status["elapsed_ms"]})
        elif status["status"] == "failed":
            failed.append({"error": status.get("error"), "elapsed_ms": status["elapsed_ms"]})
    print(json.dumps({"finished": finished, "failed": failed, "cancelled": cancelled}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
