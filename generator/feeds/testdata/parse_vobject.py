"""Parses iCalendar files with vobject (validate=True) and prints, per file, each event's UID,
summary, status and first occurrences as UTC instants, for the Go test to compare with the data.

Usage: python3 parse_vobject.py MAX FILE...
"""
import datetime
import json
import sys

import vobject


def instant(value):
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    limit, files = int(sys.argv[1]), sys.argv[2:]
    out = {}
    for name in files:
        with open(name, encoding="utf-8", newline="") as f:
            cal = vobject.readOne(f.read(), validate=True)
        events = []
        for ev in getattr(cal, "vevent_list", []):
            all_day = not isinstance(ev.dtstart.value, datetime.datetime)
            starts = []
            for start in ev.getrruleset(addRDate=True) or [ev.dtstart.value]:
                if len(starts) >= limit:
                    break
                starts.append(start.strftime("%Y-%m-%d") if all_day else instant(start))
            status = ev.status.value if hasattr(ev, "status") else None
            events.append({"uid": ev.uid.value, "summary": ev.summary.value, "status": status, "starts": starts})
        out[name] = {"name": cal.contents["x-wr-calname"][0].value, "events": events}
    json.dump(out, sys.stdout)


main()
