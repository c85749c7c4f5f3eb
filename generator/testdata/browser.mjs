// Drives Debian's Chromium through playwright-core for the portal's quality gates:
//   axe      runs axe-core (WCAG 2.0/2.1 A and AA rules) on every page listed in SHAPS_PAGES;
//   keyboard reaches and submits the request form with the keyboard alone;
//   framing  opens SHAPS_OTHER, a page of another origin that frames the portal's pages (an
//            iframe each, with an id), reports what each frame shows, then follows a link of the
//            frame named by SHAPS_CLICK and reports where the whole window went.
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

const out = { axe: [], keyboard: {} };
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
if (task === "framing") {
  // A context of its own, with the pages' policies enforced: they are what is being tested.
  const strict = await browser.newContext({ javaScriptEnabled: true });
  const other = await strict.newPage();
  await other.goto(process.env.SHAPS_OTHER, { waitUntil: "load" });
  const frames = {};
  for (const el of await other.$$("iframe")) {
    const id = await el.getAttribute("id");
    const frame = await el.contentFrame();
    frames[id] = {
      url: frame ? frame.url() : "",
      h1: frame ? await frame.evaluate(() => document.querySelector("h1")?.textContent ?? "").catch(() => "") : "",
      links: frame ? await frame.evaluate(() => [...document.querySelectorAll("a")].map((a) => a.target)).catch(() => []) : [],
    };
  }
  const clicked = await other.$(`iframe#${process.env.SHAPS_CLICK}`);
  const frame = clicked && (await clicked.contentFrame());
  let href = "", top = "", topH1 = "";
  if (frame) {
    href = await frame.evaluate(() => document.querySelector("main ul a")?.href ?? "").catch(() => "");
    if (href) {
      await Promise.all([other.waitForNavigation({ timeout: 10000 }), frame.click("main ul a", { timeout: 10000 })]);
    }
    top = other.url();
    topH1 = await other.evaluate(() => document.querySelector("h1")?.textContent ?? "");
  }
  out.framing = { frames, clickedHref: href, topURL: top, topH1 };
  await strict.close();
}
await browser.close();
process.stdout.write(JSON.stringify(out));
