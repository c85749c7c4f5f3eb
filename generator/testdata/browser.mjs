// Drives Debian's Chromium through playwright-core for the portal's quality gates:
//   axe      runs axe-core (WCAG 2.0/2.1 A and AA rules) on every page listed in SHAPS_PAGES;
//   keyboard reaches and submits the request form with the keyboard alone;
//   search   types a misspelt word into the search page and reads the results that follow it.
// The portal is served at SHAPS_BASE; packages come from SHAPS_NODE_MODULES. Prints JSON.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.SHAPS_NODE_MODULES;
const load = async (name) => {
  const dir = join(modules, name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const entry = typeof pkg.exports === "object" ? pkg.exports["."]?.import ?? pkg.exports["."]?.default ?? pkg.main : pkg.main;
  return import(pathToFileURL(join(dir, typeof entry === "string" ? entry : pkg.main ?? "index.js")).href);
};
const { chromium } = await load("playwright-core");
const axeSource = readFileSync(join(modules, "axe-core", "axe.min.js"), "utf8");
const base = process.env.SHAPS_BASE;

const browser = await chromium.launch({
  executablePath: process.env.SHAPS_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
// axe is injected through the DevTools protocol, which the pages' CSP rightly would refuse.
const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
const page = await context.newPage();

async function axe(label) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  return { page: label, violations: res };
}

const out = { axe: [], keyboard: {}, search: {} };
const task = process.argv[2];
if (task === "axe") {
  for (const path of readFileSync(process.env.SHAPS_PAGES, "utf8").split("\n").filter(Boolean)) {
    await page.goto(base + path, { waitUntil: "load" });
    out.axe.push(await axe(path));
  }
}
if (task === "keyboard") {
  const k = out.keyboard;
  await page.goto(base + "/richieste/", { waitUntil: "load" });
  await page.keyboard.press("Tab");
  k.firstFocus = await page.evaluate(() => document.activeElement.className + "|" + document.activeElement.getAttribute("href"));
  k.focusVisible = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  });
  // Tab until the message field, typing into it: only the keyboard.
  const reached = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
    reached.push(id);
    if (id === "f-message") break;
  }
  k.reachedMessage = reached.includes("f-message");
  await page.keyboard.type("aiuto"); // too short, and no category: the form must say so
  for (let i = 0; i < 60; i++) {
    const tag = await page.evaluate(() => document.activeElement.tagName + (document.activeElement.type ? ":" + document.activeElement.type : ""));
    if (tag === "BUTTON:submit") break;
    await page.keyboard.press("Tab");
  }
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  k.errorStatus = await page.evaluate(() => document.title);
  k.errorFocus = await page.evaluate(() => document.activeElement.id);
  k.invalid = await page.evaluate(() => [...document.querySelectorAll("[aria-invalid=true]")].map((e) => ({
    id: e.id, describedBy: (e.getAttribute("aria-describedby") || "").split(" ").filter((d) => document.getElementById(d)).length,
  })));
  k.summaryLinks = await page.evaluate(() => [...document.querySelectorAll(".error-summary a")].map((a) => !!document.querySelector(a.getAttribute("href"))));
  k.messageKept = await page.evaluate(() => document.getElementById("f-message").value);
  out.axe.push(await axe("form with errors"));
  // Correct it with the keyboard: choose a category, write more, acknowledge privacy, send.
  await page.focus("#f-category");
  await page.keyboard.press("ArrowDown");
  await page.focus("#f-message");
  await page.keyboard.press("End");
  await page.keyboard.type(", mi servirebbe qualcuno che mi accompagni a fare la spesa.");
  await page.focus("#f-pref-none");
  await page.keyboard.press("Space");
  await page.focus("#f-privacy");
  await page.keyboard.press("Space");
  await page.focus("form.request button[type=submit]");
  await new Promise((r) => setTimeout(r, 3100)); // a person takes at least a few seconds
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  k.thanksURL = page.url();
  k.thanksCode = await page.evaluate(() => document.querySelector(".code strong")?.textContent || "");
  out.axe.push(await axe("thanks page"));
}
if (task === "search") {
  const s = out.search;
  await page.goto(base + "/cerca/", { waitUntil: "load" });
  await page.focus("#cerca-pagina");
  await page.keyboard.type("doposcula", { delay: 40 });
  await page.waitForSelector("#risultati .suggestion", { timeout: 5000 }).catch(() => {});
  s.url = page.url();
  s.title = await page.title();
  s.first = await page.evaluate(() => document.querySelector("#risultati h3 a")?.getAttribute("href") ?? "");
  s.suggestion = await page.evaluate(() => document.querySelector("#risultati .suggestion")?.textContent ?? "");
  s.status = await page.evaluate(() => document.getElementById("cerca-stato").textContent);
  s.focus = await page.evaluate(() => document.activeElement.id);
  s.value = await page.evaluate(() => document.activeElement.value);
  out.axe.push(await axe("search while typing"));
}
await browser.close();
process.stdout.write(JSON.stringify(out));
