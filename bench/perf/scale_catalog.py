#!/usr/bin/env python3
"""Scales a Tailor catalog (JSON Lines) up to at least N products for benchmarks.

Usage: scale_catalog.py IN.jsonl OUT.jsonl [--min-products 100000]

Copy 0 is the catalog as it is. Every further copy k of a record gets a new id
("<id>~k<k>"), a title varied by swapping one of its words for a word from another
catalog title and, for most copies, an added model number, and a price scaled by
0.80..1.25 (list_price by the same factor). Nothing is random: choices come from
zlib.crc32 of the new id, so the same input gives a byte-identical output.
"""

import argparse
import json
import re
import sys
import zlib

WORD = re.compile(r"^[A-Za-z][A-Za-z-]{2,}$")


def crc(text):
    return zlib.crc32(text.encode("utf-8"))


def vary(record, copy, donors):
    new_id = f"{record['id']}~k{copy}"
    h = crc(new_id)
    out = dict(record)
    out["id"] = new_id
    words = record["title"].split()
    donor_words = donors[h % len(donors)]
    donor_word = donor_words[(h >> 8) % len(donor_words)]
    # Keep the first word (often the brand) and the last (the product type): swap a middle
    # word when there is one, else insert the donor word before the type.
    if len(words) > 2:
        position = 1 + (h >> 16) % (len(words) - 2)
        words[position] = donor_word
    else:
        words.insert(max(len(words) - 1, 0), donor_word)
    if (h >> 4) % 4 != 0:  # three copies in four get a model number
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        words.append(f"{letters[(h >> 3) % len(letters)]}{letters[(h >> 9) % len(letters)]}-"
                     f"{100 + (h >> 12) % 9900}")
    out["title"] = " ".join(words)
    factor = 0.80 + ((h >> 20) % 46) / 100.0  # 0.80 .. 1.25
    out["price"] = round(record["price"] * factor, 2)
    if "list_price" in record:
        out["list_price"] = round(record["list_price"] * factor, 2)
    return out


def main():
    parser = argparse.ArgumentParser(description="Scale a catalog up for benchmarks.")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--min-products", type=int, default=100000)
    args = parser.parse_args()

    with open(args.input, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    if not records:
        sys.exit(f"scale_catalog: {args.input}: no records")
    donors = []
    for record in records:
        words = [w for w in record["title"].split() if WORD.match(w)]
        if words:
            donors.append(words)
    copies = -(-args.min_products // len(records))  # ceiling
    written = 0
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        for copy in range(copies):
            for record in records:
                varied = record if copy == 0 else vary(record, copy, donors)
                out.write(json.dumps(varied, ensure_ascii=False, separators=(",", ":")) + "\n")
                written += 1
    print(f"scale_catalog: {len(records)} records x {copies} copies = {written} products "
          f"-> {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
