#!/usr/bin/env python3
"""Converts a Tailor catalog (JSON Lines) into scriptindex's dump format for tailor.scriptindex.

Usage: jsonl_to_scriptindex.py IN.jsonl OUT.dump

Fields are "name=value" lines, records are separated by a blank line, and a newline inside a
value continues on a line starting with "=". Everything tailor-indexer computes before it
talks to Xapian (normalised filter keys, in-stock sizes, discount, joined value strings) is
computed here, so that scriptindex's timed run does the same Xapian work and no more.
"""

import json
import sys

LIST_SEPARATOR = "\x1f"  # core/index_schema.h kListSeparator


def normalize(text):
    """core/text.h NormalizeKeyword: ASCII lowercase, trimmed, inner whitespace collapsed."""
    lowered = "".join(c.lower() if "A" <= c <= "Z" else c for c in text)
    return " ".join(lowered.split())


def number(value):
    return repr(float(value))


def fields(record):
    yield "id", record["id"]
    yield "title", record["title"]
    if record.get("brand"):
        yield "brand", record["brand"]
        yield "brandkey", normalize(record["brand"])
    category = record.get("category") or []
    for level in category:
        yield "categorytext", level
    if category:
        yield "categorypath", "/".join(normalize(level) for level in category)
    for name, value in sorted((record.get("attributes") or {}).items()):
        yield "attrtext", value
        yield "attrkey", normalize(f"{name}={value}")
    if record.get("description"):
        yield "description", record["description"]
    for color in record.get("colors") or []:
        yield "color", normalize(color)
    sizes = record.get("sizes") or {}
    in_stock_sizes = [size for size, units in sizes.items() if units > 0]
    for size in in_stock_sizes:
        yield "size", normalize(size)
    stock = sum(sizes.values()) if sizes else record.get("stock")
    if stock is not None and stock > 0:
        yield "instock", "IN"  # boolean=X gives "XIN" (kInStockTerm); XI+"N" would be "XI:N"
    price = record["price"]
    list_price = record.get("list_price", price)
    discount = 1 - price / list_price if list_price and list_price > price else 0
    yield "price", number(price)
    yield "listprice", number(list_price)
    yield "discount", number(discount)
    yield "popularity", number(record.get("popularity", 0))
    yield "rating", number(record.get("rating", 0))
    yield "margin", number(record.get("margin", 0))
    if record.get("brand"):
        yield "brandvalue", record["brand"]
    if category:
        yield "categoryvalue", LIST_SEPARATOR.join(category)
    if record.get("colors"):
        yield "colorvalue", LIST_SEPARATOR.join(record["colors"])
    if in_stock_sizes:
        yield "sizevalue", LIST_SEPARATOR.join(in_stock_sizes)
    if stock is not None:
        yield "stock", number(stock)
    yield "idvalue", record["id"]
    yield "json", json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    count = 0
    with open(sys.argv[1], encoding="utf-8") as src, \
            open(sys.argv[2], "w", encoding="utf-8", newline="\n") as out:
        for line in src:
            if not line.strip():
                continue
            record = json.loads(line)
            for name, value in fields(record):
                value = str(value).replace("\r\n", "\n").replace("\r", "\n")
                out.write(name + "=" + value.replace("\n", "\n=") + "\n")
            out.write("\n")
            count += 1
    print(f"jsonl_to_scriptindex: {count} records -> {sys.argv[2]}", file=sys.stderr)


if __name__ == "__main__":
    main()
