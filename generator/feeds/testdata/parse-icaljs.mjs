// Parses iCalendar files with Mozilla's ical.js and prints, per file, each event's UID, summary,
// status and first occurrences as UTC instants, so the Go test can compare them with the data.
// Usage: node parse-icaljs.mjs MAX FILE...
// The package is found in the folder named by SHAPS_NODE_MODULES (the test tools' node_modules).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dir = join(process.env.SHAPS_NODE_MODULES, "ical.js");
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const entry = pkg.exports?.import ?? pkg.exports?.["."]?.import ?? pkg.module ?? pkg.main;
const { default: ICAL } = await import(pathToFileURL(join(dir, entry)).href);

const [max, ...files] = process.argv.slice(2);
const out = {};
for (const file of files) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const tz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(tz);
  }
  const events = [];
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const ev = new ICAL.Event(vevent);
    const starts = [];
    const it = ev.iterator();
    for (let next = it.next(); next && starts.length < Number(max); next = it.next()) {
      starts.push(next.isDate ? next.toString() : next.toJSDate().toISOString().replace(".000Z", "Z"));
    }
    events.push({ uid: ev.uid, summary: ev.summary, status: vevent.getFirstPropertyValue("status"), starts });
  }
  out[file] = { name: root.getFirstPropertyValue("x-wr-calname"), events };
}
process.stdout.write(JSON.stringify(out));
