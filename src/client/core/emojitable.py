#!/usr/bin/env python3
"""Builds the client's emoji table from Unicode's own data, at build time.

    emojitable.py EMOJI_TEST_TXT ANNOTATIONS_DIR ANNOTATIONS_DERIVED_DIR OUT.tsv

Reads emoji-test.txt (Unicode's list of emoji in the order of its emoji charts, package
unicode-data) and the CLDR annotations in English and Chinese (short names and keywords, package
unicode-cldr-core), and writes one line per fully-qualified emoji without a skin tone:

    emoji <TAB> group <TAB> shortcode <TAB> English keywords <TAB> Chinese name <TAB> Chinese keywords

The shortcode is the CLDR English short name in lower case with '_' for spaces and without
punctuation ("thumbs up" -> thumbs_up), as ':thumbs_up:' is written in chats that use CLDR
names. Keywords are separated by '|'.
"""
import re
import sys
import xml.etree.ElementTree as ET

SKIN_TONES = {chr(c) for c in range(0x1F3FB, 0x1F400)}


def annotations(path):
    names, keywords = {}, {}
    for node in ET.parse(path).getroot().iter("annotation"):
        cp = node.get("cp").replace("\ufe0f", "")
        text = (node.text or "").strip()
        if node.get("type") == "tts":
            names[cp] = text
        else:
            keywords[cp] = [k.strip() for k in text.split("|") if k.strip()]
    return names, keywords


def merged(*pairs):
    names, keywords = {}, {}
    for n, k in pairs:
        names.update(n)
        keywords.update(k)
    return names, keywords


def main():
    test_txt, annotations_dir, derived_dir, out = sys.argv[1:5]
    en = merged(annotations(f"{annotations_dir}/en.xml"), annotations(f"{derived_dir}/en.xml"))
    zh = merged(annotations(f"{annotations_dir}/zh.xml"), annotations(f"{derived_dir}/zh.xml"))
    group = ""
    lines = []
    seen = set()
    for line in open(test_txt, encoding="utf-8"):
        if line.startswith("# group:"):
            group = line.split(":", 1)[1].strip()
            continue
        if not line.strip() or line.startswith("#") or "; fully-qualified" not in line:
            continue
        if group == "Component":
            continue
        emoji = "".join(chr(int(cp, 16)) for cp in line.split(";")[0].split())
        if SKIN_TONES & set(emoji):
            continue
        key = emoji.replace("\ufe0f", "")
        name = en[0].get(key)
        if not name:
            continue
        shortcode = re.sub(r"[^a-z0-9_+-]", "", name.lower().replace(" ", "_").replace(":", ""))
        if not shortcode or shortcode in seen:
            continue
        seen.add(shortcode)
        fields = [emoji, group, shortcode, "|".join(en[1].get(key, [])), zh[0].get(key, ""),
                  "|".join(zh[1].get(key, []))]
        lines.append("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
