"""Parses Atom feeds with Debian's python3-feedparser and prints, per file, its version, whether
it found anything wrong (bozo), the feed's title, id and updated, and each entry's id, title,
link, updated and author, for the Go test to compare with the data.

Usage: python3 parse_feedparser.py FILE...
"""
import json
import sys

import feedparser


def main():
    out = {}
    for name in sys.argv[1:]:
        d = feedparser.parse(name)
        out[name] = {
            "version": d.version,
            "bozo": bool(d.bozo),
            "bozo_exception": str(d.get("bozo_exception", "")),
            "title": d.feed.get("title", ""),
            "id": d.feed.get("id", ""),
            "updated": d.feed.get("updated", ""),
            "entries": [
                {
                    "id": e.get("id", ""),
                    "title": e.get("title", ""),
                    "link": e.get("link", ""),
                    "updated": e.get("updated", ""),
                    "author": e.get("author", ""),
                }
                for e in d.entries
            ],
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
