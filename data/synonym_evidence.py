#!/usr/bin/env python3
"""Counts how often each phrase of a synonyms file occurs in the sample catalog.

Usage: data/synonym_evidence.py [--catalog data/catalog.jsonl] [--synonyms config/synonyms.json]

For every entry it prints each phrase with the number of products whose title or category
path contains it as whole words (case and hyphens ignored, "T-Shirt" counts for "t shirt",
and plurals by a crude trailing "s"/"es"), and exits 1 when an entry has no phrase that
occurs: such an entry can never find anything in this catalog.
"""
import argparse
import json
import re
import sys


def words(text):
    return re.sub(r"[^a-z0-9&']+", " ", text.lower().replace("-", " ")).strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", default="data/catalog.jsonl")
    parser.add_argument("--synonyms", default="config/synonyms.json")
    args = parser.parse_args()
    texts = []
    with open(args.catalog, encoding="utf-8") as catalog:
        for line in catalog:
            record = json.loads(line)
            texts.append(" " + words(record["title"] + " " + " ".join(record.get("category", []))) + " ")
    with open(args.synonyms, encoding="utf-8") as f:
        entries = json.load(f)["synonyms"]

    def count(phrase):
        pattern = re.compile(r" " + re.escape(words(phrase)) + r"(e?s)? ")
        return sum(1 for text in texts if pattern.search(text))

    empty = 0
    for i, entry in enumerate(entries):
        phrases = ([entry["root"]] if "root" in entry else []) + entry["synonyms"]
        counts = [count(p) for p in phrases]
        kind = "one-way" if "root" in entry else "multi-way"
        shown = ", ".join(f"{p} {c}" for p, c in zip(phrases, counts))
        print(f"synonyms[{i}] {kind}: {shown}")
        if not any(counts):
            empty += 1
            print(f"synonyms[{i}]: no phrase occurs in the catalog", file=sys.stderr)
    print(f"{len(entries)} entries, {empty} without evidence", file=sys.stderr)
    return 1 if empty else 0


if __name__ == "__main__":
    sys.exit(main())
