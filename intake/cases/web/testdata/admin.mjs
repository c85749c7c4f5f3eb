// Drives Debian's Chromium through the administrator's interface: log in, open a case, tick a
// suggested association, route it, and read what the page shows. Prints JSON.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dir = join(process.env.SHAPS_NODE_MODULES, "playwright-core");
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const entry = pkg.exports?.["."]?.import ?? pkg.exports?.["."]?.default ?? pkg.main;
const { chromium } = await import(pathToFileURL(join(dir, typeof entry === "string" ? entry : "index.js")).href);
const [base, token, code, xssCode] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.SHAPS_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await (await browser.newContext()).newPage();
const out = {};
let dialogs = 0;
page.on("dialog", async (d) => { dialogs++; await d.dismiss(); });
await page.goto(base + "/");
out.loginURL = page.url();
await page.fill("#token", token);
await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
out.afterLogin = page.url();
await page.goto(base + "/casi/" + code);
const boxes = await page.$$("input[name=associazione][type=checkbox]:not([disabled])");
out.suggested = boxes.length;
await boxes[0].check();
out.ticked = await boxes[0].getAttribute("value");
await Promise.all([page.waitForNavigation(), page.click("form[action$='/inoltra'] button[type=submit]")]);
out.done = await page.textContent(".done");
out.status = await page.textContent("dl dd");
out.routes = await page.textContent("ul:has(li)").catch(() => "");
await page.goto(base + "/casi/" + xssCode);
out.xssText = await page.textContent(".message");
out.dialogs = dialogs;
await browser.close();
process.stdout.write(JSON.stringify(out));
