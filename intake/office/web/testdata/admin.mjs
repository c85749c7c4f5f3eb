// Drives Debian's Chromium through the administrator's interface: log in, open a case, tick a
// suggested association, route it, and read what the page shows; axe-core checks every page seen
// against WCAG 2.0/2.1 A and AA. Prints JSON.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dir = join(process.env.SHAPS_NODE_MODULES, "playwright-core");
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const entry = pkg.exports?.["."]?.import ?? pkg.exports?.["."]?.default ?? pkg.main;
const { chromium } = await import(pathToFileURL(join(dir, typeof entry === "string" ? entry : "index.js")).href);
const [base, token, code, xssCode] = process.argv.slice(2);
const axeSource = readFileSync(join(process.env.SHAPS_NODE_MODULES, "axe-core", "axe.min.js"), "utf8");

const browser = await chromium.launch({
  executablePath: process.env.SHAPS_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
// axe is injected through the DevTools protocol, which the pages' CSP rightly would refuse.
const page = await (await browser.newContext({ bypassCSP: true })).newPage();
const out = { axe: [] };
async function axe(into = out.axe) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  into.push({ page: new URL(page.url()).pathname, violations });
}
let dialogs = 0;
page.on("dialog", async (d) => { dialogs++; await d.dismiss(); });
await page.goto(base + "/");
out.loginURL = page.url();
await axe();
await page.fill("#token", token);
await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
out.afterLogin = page.url();
await axe();
await page.goto(base + "/casi/" + code);
const boxes = await page.$$("input[name=associazione][type=checkbox]:not([disabled])");
out.suggested = boxes.length;
await boxes[0].check();
out.ticked = await boxes[0].getAttribute("value");
await Promise.all([page.waitForNavigation(), page.click("form[action$='/inoltra'] button[type=submit]")]);
out.done = await page.textContent(".done");
await axe();
out.status = await page.textContent("dl dd");
out.routes = await page.textContent("ul:has(li)").catch(() => "");
await page.goto(base + "/casi/" + xssCode);
out.xssText = await page.textContent(".message");
out.dialogs = dialogs;
await page.goto(base + "/statistiche");
await axe();
// The pages the office gained since: the purge, with a closed case to confirm.
out.more = [];
await page.goto(base + "/casi/" + xssCode);
await page.selectOption("#esito", "resolved");
await Promise.all([page.waitForNavigation(), page.click("form[action$='/chiudi'] button[type=submit]")]);
await page.goto(base + "/cancellazione?giorni=0");
out.purgeListed = await page.textContent("main ul");
await axe(out.more);
await page.check("#conferma");
await Promise.all([page.waitForNavigation(), page.click("form[method=post][action='/cancellazione'] button[type=submit]")]);
out.purgeDone = await page.textContent(".done");
await axe(out.more);
await browser.close();
process.stdout.write(JSON.stringify(out));
