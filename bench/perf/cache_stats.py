#!/usr/bin/env python3
"""Prints the searcher caches' counters of a GET /admin/stats answer (scripts/bench).

Usage: cache_stats.py STATS_JSON
"""

import json
import sys


def main():
    try:
        with open(sys.argv[1], encoding="utf-8") as handle:
            caches = json.load(handle).get("caches")
    except (OSError, ValueError):
        caches = None
    if not caches:
        print("  cache stats: not available")
        return
    for name, c in caches.items():
        rate = "-" if c["hit_rate"] is None else f"{c['hit_rate']:.3f}"
        within = "yes" if c["bytes"] <= c["capacity_bytes"] else "NO"
        print(f"  {name} cache at the end of the cached runs: hit rate {rate}, {c['entries']} "
              f"entries, {c['bytes'] / 2**20:.1f} MiB of {c['capacity_bytes'] / 2**20:.0f} MiB, "
              f"{c['evictions']} evictions, within its bound: {within}")


if __name__ == "__main__":
    main()
