#!/usr/bin/env python3
"""Writes the realistic query streams of scripts/bench: /search request paths, one per line.

Usage: make_streams.py TERMS_CSV OUT_DIR [REQUESTS]

TERMS_CSV is the Home Depot search relevance file (../shared/data/homedepot-search-relevance/
train.csv, Latin-1); only its `search_term` column is read, the text of 11,795 real shopper
queries (never its judgments). Nothing read or written here goes into the repository: the
streams are written to OUT_DIR (the bench's temporary directory).

  zipf.txt        REQUESTS requests (default 200000). The distinct terms, in a fixed shuffled
                  order, are split into a head (the first 8,000) and a tail. 70 % of the
                  requests draw a head term with probability ~ 1/rank (Zipf, exponent 1); the
                  other 30 % are one-off queries that occur exactly once in the stream: tail
                  terms, then (when the tail is used up) tail terms with a number appended.
                  About one request in eight carries a price_max filter, as make_queries.py does.
  keystrokes.txt  typed queries from the same Zipf head, each sent as a search box with
                  search-as-you-type sends it: one request per letter typed ("p", "pa", "par",
                  ..., the whole query), sessions one after the other. REQUESTS/4 lines.
  zipf_warmup.txt, keystrokes_warmup.txt  other draws of the same laws, to warm a server
                  before the measured runs; their one-off queries are not those of zipf.txt.

The shares measured are printed to stderr. Deterministic (seeded).
"""

import collections
import csv
import os
import random
import sys
import urllib.parse

HEAD_TERMS = 8000
ONE_OFF_SHARE = 0.30
PRICE_MAX_SHARE = 0.125


def path(query, rng, limit):
    out = "/search?q=" + urllib.parse.quote(query) + "&limit=" + str(limit)
    if rng.random() < PRICE_MAX_SHARE:
        out += "&price_max=" + str(rng.choice([500, 1000, 2000, 5000]))
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: make_streams.py TERMS_CSV OUT_DIR [REQUESTS]")
    terms_csv, out_dir = sys.argv[1], sys.argv[2]
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 200000
    with open(terms_csv, encoding="latin-1", newline="") as handle:
        terms = sorted({row["search_term"].strip() for row in csv.DictReader(handle)} - {""})
    rng = random.Random(20261202)
    rng.shuffle(terms)
    head, tail = terms[:HEAD_TERMS], terms[HEAD_TERMS:]
    weights = [1.0 / (rank + 1) for rank in range(len(head))]

    # Two streams of the same law, the warm-up's first: their one-off queries are disjoint,
    # so the measured stream's one-offs are new to a server the warm-up has warmed.
    one_offs = int(ONE_OFF_SHARE * requests)
    unique = [tail[i] if i < len(tail) else f"{tail[i % len(tail)]} {i}"
              for i in range(2 * one_offs)]
    for name, fresh in (("zipf_warmup.txt", unique[one_offs:]), ("zipf.txt", unique[:one_offs])):
        stream = rng.choices(head, weights=weights, k=requests - one_offs) + fresh
        rng.shuffle(stream)
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as out:
            for query in stream:
                out.write(path(query, rng, 20) + "\n")
        if name != "zipf.txt":
            continue
        counts = collections.Counter(stream)
        once = sum(1 for query in stream if counts[query] == 1)
        print(f"make_streams: zipf.txt {len(stream)} requests, {len(counts)} distinct queries, "
              f"{once / len(stream):.1%} of requests one-off, "
              f"{sum(1 for c in counts.values() if c == 1) / len(counts):.1%} of distinct "
              f"queries one-off; top 100 queries "
              f"{sum(c for _, c in counts.most_common(100)) / len(stream):.1%} of requests",
              file=sys.stderr)

    for name in ("keystrokes_warmup.txt", "keystrokes.txt"):
        lines = []
        sessions = 0
        while len(lines) < requests // 4:
            query = rng.choices(head, weights=weights, k=1)[0]
            sessions += 1
            for end in range(1, len(query) + 1):
                if query[end - 1] != " ":  # a space alone sends nothing new
                    lines.append("/search?q=" + urllib.parse.quote(query[:end]) + "&limit=10")
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    print(f"make_streams: keystrokes.txt {len(lines)} requests in {sessions} typed queries, "
          f"{len(set(lines))} distinct prefixes", file=sys.stderr)


if __name__ == "__main__":
    main()
