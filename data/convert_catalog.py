#!/usr/bin/env python3
"""Builds data/catalog.jsonl, Tailor's bundled sample catalog, from two real public catalogs.

Sources (see data/SOURCE.md):
  <shared>/myntra-products-catalog/myntra_products_catalog.csv   fashion, all usable rows
  <shared>/bigbasket-products/bigbasket_products.csv             grocery/household, ~27% subset

Usage: python3 data/convert_catalog.py [SHARED_DATA_DIR] [--out FILE]
SHARED_DATA_DIR defaults to ../shared/data relative to the repository root.

Real fields are copied; what the sources lack is derived deterministically (no randomness):
  * Myntra category path from keywords in the product title (TYPE_TABLE below),
  * Myntra sizes / stock and BigBasket stock from zlib.crc32 of the product id,
  * the BigBasket subset by zlib.crc32 of the product id.
Same input -> byte-identical output. Standard library only. Counts go to stderr.
"""

import argparse
import collections
import csv
import json
import os
import re
import sys
import zlib

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MYNTRA_CSV = os.path.join("myntra-products-catalog", "myntra_products_catalog.csv")
BIGBASKET_CSV = os.path.join("bigbasket-products", "bigbasket_products.csv")

DESCRIPTION_MAX_CHARS = 600
BIGBASKET_PERCENT = 27  # ~7,440 of 27,555 rows, hash-selected so every category is represented

# Product type keywords -> (group, type). Matched case-insensitively as whole words in the
# title; the rightmost match wins (Myntra titles end with the type: "... Solid Parka Jacket").
# Longer phrases are listed so that "Kurta Set" beats "Kurta" and "Track Pants" beats "Pants".
TYPE_TABLE = [
    # Topwear
    ("Topwear", "Shirts", ["shirt", "shirts", "overshirt"]),
    ("Topwear", "T-Shirts", ["t-shirt", "t-shirts", "tshirt", "tshirts", "tee", "polo", "henley"]),
    ("Topwear", "Tops", ["top", "tops", "crop top", "tank top", "camisole", "blouse", "bodysuit",
                         "tunic", "tunics"]),
    ("Topwear", "Sweatshirts", ["sweatshirt", "sweatshirts", "hoodie", "hoodies"]),
    ("Topwear", "Sweaters", ["sweater", "sweaters", "pullover", "cardigan", "cardigans"]),
    ("Topwear", "Jackets", ["jacket", "jackets", "parka", "bomber", "windcheater", "gilet",
                            "puffer jacket", "puffer", "overcoat", "coat", "trench coat"]),
    ("Topwear", "Blazers", ["blazer", "blazers", "waistcoat", "suit", "suits", "tuxedo", "bandhgala"]),
    ("Topwear", "Shrugs", ["shrug", "shrugs"]),
    # Dresses and one-pieces
    ("Dresses", "Dresses", ["dress", "dresses", "maxi dress", "gown"]),
    ("Dresses", "Jumpsuits", ["jumpsuit", "jumpsuits", "playsuit", "playsuits", "dungarees",
                              "dungaree", "romper"]),
    # Bottomwear
    ("Bottomwear", "Jeans", ["jeans", "jeggings", "jegging"]),
    ("Bottomwear", "Trousers", ["trousers", "trouser", "pants", "pant", "chinos", "chino",
                                "cargos", "cargo", "culottes", "palazzos", "palazzo",
                                "treggings", "slacks"]),
    ("Bottomwear", "Track Pants", ["joggers", "jogger", "track pants", "trackpants",
                                   "tracksuit", "tracksuits", "sweatpants"]),
    ("Bottomwear", "Shorts", ["shorts", "bermudas", "capris", "capri", "3/4th shorts"]),
    ("Bottomwear", "Skirts", ["skirt", "skirts", "skorts"]),
    ("Bottomwear", "Leggings", ["leggings", "legging", "tights", "stockings"]),
    # Ethnic wear
    ("Ethnic Wear", "Kurtas", ["kurta", "kurtas", "kurti", "kurtis", "anarkali"]),
    ("Ethnic Wear", "Kurta Sets", ["kurta set", "kurta with trousers", "kurta with palazzos",
                                   "kurta with churidar", "salwar suit", "dress material",
                                   "unstitched dress material"]),
    ("Ethnic Wear", "Sarees", ["saree", "sarees", "sari"]),
    ("Ethnic Wear", "Dupattas", ["dupatta", "dupattas", "stole", "stoles"]),
    ("Ethnic Wear", "Lehengas", ["lehenga", "lehenga choli", "choli"]),
    ("Ethnic Wear", "Churidars & Salwars", ["churidar", "churidars", "salwar", "salwars",
                                            "patiala", "sharara", "dhoti", "dhotis", "jodhpuris"]),
    ("Ethnic Wear", "Sherwanis & Nehru Jackets", ["sherwani", "nehru jacket"]),
    # Innerwear and sleepwear
    ("Innerwear & Sleepwear", "Bras", ["bra", "bras", "bralette", "bralettes"]),
    ("Innerwear & Sleepwear", "Briefs & Trunks", ["briefs", "brief", "trunks", "trunk", "boxers",
                                                  "boxer", "panties", "hipster", "hipsters", "boyshorts", "vest",
                                                  "vests", "innerwear", "thermal"]),
    ("Innerwear & Sleepwear", "Nightwear", ["pyjamas", "pyjama", "night suit", "nightdress",
                                            "nightsuit", "lounge pants", "lounge shorts",
                                            "robe", "sleepwear", "lounge t-shirt"]),
    ("Innerwear & Sleepwear", "Socks", ["socks", "sock"]),
    ("Swimwear", "Swimwear", ["swimsuit", "swimwear", "bikini", "swim shorts"]),
    # Footwear
    ("Footwear", "Sneakers", ["sneakers", "sneaker"]),
    ("Footwear", "Sports Shoes", ["running shoes", "training shoes", "walking shoes", "runner",
                                  "football shoes", "sports shoes", "tennis shoes",
                                  "basketball shoes"]),
    ("Footwear", "Casual Shoes", ["shoes", "shoe", "slip-ons", "slip-on", "loafers", "loafer",
                                  "boat shoes", "espadrilles", "mojaris", "mojari", "juttis"]),
    ("Footwear", "Formal Shoes", ["derbys", "derby", "brogues", "brogue", "oxfords", "oxford",
                                  "monks", "monk shoes", "formal shoes"]),
    ("Footwear", "Boots", ["boots", "boot"]),
    ("Footwear", "Flats", ["flats", "ballerinas", "ballerina", "mules", "mule", "open toe flats"]),
    ("Footwear", "Heels", ["heels", "pumps", "wedges", "stilettos", "flatforms", "peep toes",
                           "block heels"]),
    ("Footwear", "Sandals", ["sandals", "sandal", "floaters", "gladiators", "clogs"]),
    ("Footwear", "Flip-Flops", ["flip-flops", "flip flops", "sliders", "slippers", "slides"]),
    # Bags
    ("Bags", "Handbags", ["bag", "bags", "handbag", "handbags", "sling bag", "tote bag", "tote",
                          "clutch", "clutches", "pouch", "satchel", "shoulder bag", "hobo bag",
                          "laptop bag", "duffle bag", "messenger bag"]),
    ("Bags", "Backpacks", ["backpack", "backpacks", "rucksack"]),
    ("Bags", "Luggage", ["trolley bag", "suitcase", "trolley", "luggage", "duffel trolley"]),
    ("Bags", "Wallets", ["wallet", "wallets", "card holder", "purse"]),
    # Accessories
    ("Accessories", "Belts", ["belt", "belts"]),
    ("Accessories", "Watches", ["watch", "watches", "smartwatch", "smart watch"]),
    ("Accessories", "Sunglasses", ["sunglasses", "eyewear"]),
    ("Accessories", "Caps & Hats", ["cap", "caps", "hat", "beanie", "beanies"]),
    ("Accessories", "Scarves & Mufflers", ["scarf", "scarves", "muffler", "shawl", "shawls",
                                           "mask", "masks"]),
    ("Accessories", "Ties & Cufflinks", ["tie", "ties", "cufflinks", "cufflink", "bow tie",
                                         "pocket square", "accessory gift set", "tie pin"]),
    ("Accessories", "Gloves", ["gloves"]),
    ("Jewellery", "Earrings", ["earrings", "earring", "jhumkas", "jhumka", "studs", "stud",
                               "chandbalis", "drop earrings", "hoop earrings", "ear cuff"]),
    ("Jewellery", "Necklaces", ["necklace", "necklaces", "pendant", "chain", "mangalsutra",
                                "jewellery set", "jewelry set", "choker"]),
    ("Jewellery", "Rings", ["ring", "rings", "nosepin", "nose pin", "toe rings"]),
    ("Jewellery", "Bracelets & Bangles", ["bracelet", "bracelets", "bangles", "bangle",
                                          "kada", "anklet", "anklets", "rakhi"]),
    ("Jewellery", "Hair Accessories", ["maang tikka", "tikka", "tika", "hairband", "hair clip",
                                       "brooch", "hair accessory"]),
    # Beauty
    ("Beauty", "Fragrances", ["perfume", "perfumes", "eau de parfum", "eau de toilette",
                              "deodorant", "deodorants", "edt", "edp", "body mist", "mists", "mist", "fragrance"]),
    ("Beauty", "Makeup", ["lipstick", "lip gloss", "lip liner", "kajal", "eyeliner", "mascara",
                          "foundation", "compact", "nail polish", "lip crayon", "eyeshadow",
                          "highlighter", "concealer", "primer", "lip balm", "makeup", "lip color",
                          "lip colour", "lip shine", "liner", "microliner", "cheekpowder",
                          "cheek powder", "blush", "eye shadow palette", "eye definer"]),
    ("Beauty", "Skin & Hair Care", ["face wash", "cream", "serum", "shampoo", "lotion",
                                    "moisturiser", "sunscreen", "conditioner", "scrub",
                                    "face mask", "toner", "body wash", "hair oil", "gel", "cleanser",
                                    "cleansing milk", "beard wash", "softener", "kit"]),
    # Home
    ("Home", "Curtains", ["curtain", "curtains"]),
    ("Home", "Bedding", ["bedsheet", "bedsheets", "comforter", "dohar", "quilt", "blanket",
                         "pillow", "pillows", "bed cover", "pillow covers", "duvet", "diwan set"]),
    ("Home", "Cushions", ["cushion", "cushions", "cushion covers", "cushion cover", "covers",
                          "cover"]),
    ("Home", "Rugs & Carpets", ["carpet", "carpets", "rug", "rugs", "bathmat", "bath mat",
                                "doormat", "door mat", "runner rug", "mat"]),
    ("Home", "Table Linen", ["placemats", "placemat", "table runner", "table cover",
                             "napkins", "coasters", "coaster set", "table linen"]),
    ("Home", "Kitchen & Dining", ["mug", "mugs", "cup", "cups", "bowl", "bowls", "plate",
                                  "plates", "glasses", "tray", "jar", "jars", "dispenser",
                                  "bottle", "tumbler", "dinner set", "cutlery", "kettle",
                                  "sharpener", "lid", "container", "kulladhs",
                                  "kulladh set", "platter", "dishes"]),
    ("Home", "Decor", ["showpiece", "statue", "vase", "planter", "planters", "pot", "clock", "frame",
                       "photo frame", "lamp", "lamp shade", "shade", "candle", "candle holder",
                       "holder", "wall art", "wall decor", "figurine", "sculpture", "artificial flowers",
                       "wall shelf", "shelf", "shelves", "bin", "organiser", "organizer",
                       "box", "basket", "hook", "mirror", "idol", "painting", "poster"]),
    ("Beauty", "Hair Styling", ["hair dryer", "hair curler", "hair crimper",
                                 "hair straightener", "styler", "trimmer"]),
    ("Home", "Bath", ["towel", "towels", "bath towel", "bathrobe", "shower curtain"]),
]

# How each group gets its availability: letter sizes, shoe sizes, or a plain stock count.
GROUP_SIZING = {
    "Topwear": "letter", "Dresses": "letter", "Bottomwear": "letter", "Ethnic Wear": "letter",
    "Innerwear & Sleepwear": "letter", "Swimwear": "letter", "Footwear": "shoe",
}
# One-size items inside sized groups.
ONE_SIZE_TYPES = {"Sarees", "Dupattas", "Socks"}

LETTER_SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
JEANS_SIZES = ["28", "30", "32", "34", "36", "38"]
KIDS_SIZES = ["2-3Y", "3-4Y", "4-5Y", "5-6Y", "7-8Y", "9-10Y", "11-12Y", "13-14Y"]
SHOE_SIZES_MEN = ["UK6", "UK7", "UK8", "UK9", "UK10", "UK11"]
SHOE_SIZES_WOMEN = ["UK3", "UK4", "UK5", "UK6", "UK7", "UK8"]
SHOE_SIZES_KIDS = ["UK10C", "UK11C", "UK12C", "UK13C", "UK1", "UK2", "UK3", "UK4"]

GENDER_ROOT = {"Men": "Men", "Women": "Women", "Unisex": "Unisex", "Boys": "Boys",
               "Girls": "Girls", "Unisex Kids": "Kids"}
KIDS_GENDERS = {"Boys", "Girls", "Unisex Kids"}


def compile_type_table():
    """Returns [(regex, group, type, phrase_length)] for every keyword phrase."""
    patterns = []
    for group, type_name, phrases in TYPE_TABLE:
        for phrase in phrases:
            regex = re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", re.IGNORECASE)
            patterns.append((regex, group, type_name, len(phrase)))
    return patterns


TYPE_PATTERNS = compile_type_table()


def product_type(title):
    """(group, type) for a Myntra title: the rightmost keyword, longer phrase on a tie.

    Text after " with " describes an extra ("Kurta with Palazzos", "Shirt with Detail"), so
    that part is only used when the head of the title has no keyword. A phrase that itself
    contains " with " (e.g. "kurta with trousers") is matched against the whole title first.
    """
    head = re.split(r"\s+with\s+", title, maxsplit=1, flags=re.IGNORECASE)[0]
    for text in (head, title):
        best = None
        for regex, group, type_name, length in TYPE_PATTERNS:
            for match in regex.finditer(text):
                key = (match.end(), length)
                if best is None or key > best[0]:
                    best = (key, group, type_name)
        if best is not None:
            return best[1], best[2]
    return "Other", "Other"


def hash_of(text):
    return zlib.crc32(text.encode("utf-8"))


def units_for(seed, salt):
    """0..12 units; about 30% zeros so that size/in-stock filtering matters."""
    value = hash_of(seed + "#" + salt) % 100
    if value < 30:
        return 0
    return 1 + value % 12


def derive_sizes(product_id, group, type_name, gender):
    """Sizes object for sized apparel/footwear, or None when the item has a plain stock count."""
    sizing = GROUP_SIZING.get(group)
    if sizing is None or type_name in ONE_SIZE_TYPES:
        return None
    kids = gender in KIDS_GENDERS
    if sizing == "shoe":
        scale = SHOE_SIZES_KIDS if kids else (
            SHOE_SIZES_WOMEN if gender == "Women" else SHOE_SIZES_MEN)
    elif kids:
        scale = KIDS_SIZES
    elif type_name == "Jeans" and gender != "Women":
        scale = JEANS_SIZES
    else:
        scale = LETTER_SIZES
    h = hash_of(product_id)
    run = 3 + h % (len(scale) - 2)            # 3..len(scale) consecutive sizes
    start = (h // 7) % (len(scale) - run + 1)
    return {size: units_for(product_id, size) for size in scale[start:start + run]}


def derive_stock(product_id):
    """0..40 units; about 12% out of stock."""
    value = hash_of(product_id + "#stock") % 100
    return 0 if value < 12 else 1 + hash_of(product_id + "#units") % 40


def clean_text(text):
    return re.sub(r"\s+", " ", text or "").strip()


def trim_description(text):
    text = clean_text(text)
    if len(text) <= DESCRIPTION_MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, DESCRIPTION_MAX_CHARS)
    return text[:cut if cut > 0 else DESCRIPTION_MAX_CHARS].rstrip() + "…"


def parse_number(text):
    try:
        value = float(text.strip())
    except (AttributeError, ValueError):
        return None
    if value != value or value < 0:  # NaN or negative
        return None
    return int(value) if value == int(value) else round(value, 2)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for line_number, row in enumerate(reader, start=2):
            yield line_number, dict(zip(header, row))


def convert_myntra(path, stats):
    for _, row in read_csv(path):
        product_id = clean_text(row.get("Product_ID"))
        title = clean_text(row.get("Product_Name"))
        brand = clean_text(row.get("Product_Brand"))
        price = parse_number(row.get("Price", ""))
        gender = clean_text(row.get("Gender"))
        if not product_id or not title or not brand or price is None:
            stats["myntra skipped (missing id/title/brand/price)"] += 1
            continue
        group, type_name = product_type(title)
        root = GENDER_ROOT.get(gender, "Unisex")
        record = {
            "id": "myntra-" + product_id,
            "title": title,
            "price": price,
            "currency": "INR",
            "brand": brand,
            "category": [root, group, type_name] if group != "Other" else [root, "Other"],
        }
        description = trim_description(row.get("Description"))
        if description:
            record["description"] = description
        color = clean_text(row.get("Primary_Color"))
        if color:
            record["colors"] = [color]
        sizes = derive_sizes(record["id"], group, type_name, gender)
        if sizes is not None:
            record["sizes"] = sizes
        else:
            record["stock"] = derive_stock(record["id"])
        if gender:
            record["attributes"] = {"gender": gender}
        stats["myntra"] += 1
        stats["type " + type_name] += 1
        yield record


def convert_bigbasket(path, stats):
    for _, row in read_csv(path):
        index = clean_text(row.get("index"))
        product_id = "bigbasket-" + index
        title = clean_text(row.get("product"))
        brand = clean_text(row.get("brand"))
        price = parse_number(row.get("sale_price", ""))
        if not index or not title or not brand or price is None:
            # Counted over the whole file, before the subset is drawn.
            stats["bigbasket skipped (missing title/brand/price)"] += 1
            continue
        if hash_of(product_id) % 100 >= BIGBASKET_PERCENT:
            continue
        path_parts = [clean_text(row.get(k)) for k in ("category", "sub_category", "type")]
        record = {
            "id": product_id,
            "title": title,
            "price": price,
        }
        list_price = parse_number(row.get("market_price", ""))
        if list_price is not None and list_price > price:
            record["list_price"] = list_price
        record["currency"] = "INR"
        record["brand"] = brand
        record["category"] = [p for p in path_parts if p]
        record["stock"] = derive_stock(product_id)
        rating = parse_number(row.get("rating", ""))
        if rating is not None and 0 < rating <= 5:
            record["rating"] = rating
        stats["bigbasket"] += 1
        yield record


def print_stats(records, stats, out_path):
    by_top = collections.Counter(r["category"][0] for r in records)
    by_group = collections.Counter(r["category"][1] for r in records if r["id"].startswith("myntra-"))
    myntra = stats["myntra"]
    other = stats["type Other"]
    err = sys.stderr
    print(f"convert_catalog: wrote {len(records)} products to {out_path}", file=err)
    print(f"  myntra {myntra}, bigbasket {stats['bigbasket']}", file=err)
    for key in ("myntra skipped (missing id/title/brand/price)",
                "bigbasket skipped (missing title/brand/price)", "skipped (duplicate id)"):
        print(f"  {key}: {stats[key]}", file=err)
    print(f"  myntra with a specific type: {myntra - other} "
          f"({100.0 * (myntra - other) / max(myntra, 1):.1f}%), Other: {other}", file=err)
    print(f"  with list_price: {sum('list_price' in r for r in records)}", file=err)
    print(f"  with sizes: {sum('sizes' in r for r in records)}, "
          f"with stock: {sum('stock' in r for r in records)}", file=err)
    print(f"  with rating: {sum('rating' in r for r in records)}, "
          f"with colors: {sum('colors' in r for r in records)}", file=err)
    print("  by top category:", file=err)
    for name, count in sorted(by_top.items(), key=lambda item: (-item[1], item[0])):
        print(f"    {count:6d}  {name}", file=err)
    print("  myntra by group:", file=err)
    for name, count in sorted(by_group.items(), key=lambda item: (-item[1], item[0])):
        print(f"    {count:6d}  {name}", file=err)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", nargs="?",
                        default=os.path.join(REPO_ROOT, "..", "shared", "data"),
                        help="shared data folder (default: ../shared/data from the repo root)")
    parser.add_argument("--out", default=os.path.join(REPO_ROOT, "data", "catalog.jsonl"))
    args = parser.parse_args()

    stats = collections.Counter()
    records = []
    seen = set()
    for source in (convert_myntra(os.path.join(args.shared, MYNTRA_CSV), stats),
                   convert_bigbasket(os.path.join(args.shared, BIGBASKET_CSV), stats)):
        for record in source:
            if record["id"] in seen:
                stats["skipped (duplicate id)"] += 1
                continue
            seen.add(record["id"])
            records.append(record)

    tmp_path = args.out + ".tmp"
    with open(tmp_path, "w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    os.replace(tmp_path, args.out)
    print_stats(records, stats, os.path.relpath(args.out, REPO_ROOT))


if __name__ == "__main__":
    main()
