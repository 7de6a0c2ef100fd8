#!/usr/bin/env python3
"""Writes bench/perf/queries.txt: realistic /search request paths for search.lua.

Usage: make_queries.py [CATALOG] [OUT] (defaults: data/catalog.jsonl, bench/perf/queries.txt)

Queries are one or two words taken from catalog titles (a product type alone, a colour or
attribute word with the type, a brand word with the type); about one in four carries a
brand filter and one in four a price_max filter. Deterministic: every 37th record in catalog
order, choices by zlib.crc32 of its id.
"""

import json
import os
import re
import sys
import urllib.parse
import zlib

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORD = re.compile(r"^[A-Za-z][a-z-]{2,}$")
STOP = {"with", "and", "for", "the", "set", "pack", "men", "women", "boys", "girls", "kids",
        "unisex", "of"}


def main():
    catalog = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO_ROOT, "data", "catalog.jsonl")
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        REPO_ROOT, "bench", "perf", "queries.txt")
    with open(catalog, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    paths = []
    for record in records[::37]:
        words = [w for w in record["title"].split() if WORD.match(w) and w.lower() not in STOP]
        if not words:
            continue
        h = zlib.crc32(record["id"].encode("utf-8"))
        last = words[-1].lower()
        kind = h % 3
        if kind == 0 or len(words) == 1:
            query = last
        elif kind == 1:
            query = words[(h >> 4) % len(words)].lower() + " " + last
            if query.split()[0] == last:
                query = last
        else:
            query = words[0].lower() + " " + last if len(words) > 1 else last
        params = {"q": query, "limit": "20"}
        if (h >> 8) % 4 == 0 and record.get("brand"):
            params["brand"] = record["brand"]
        if (h >> 10) % 4 == 1:
            params["price_max"] = str(int(record["price"] * 1.5) + 1)
        paths.append("/search?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote))
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(paths) + "\n")
    print(f"make_queries: {len(paths)} queries -> {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
