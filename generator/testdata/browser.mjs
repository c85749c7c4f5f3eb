// Drives Debian's Chromium through playwright-core for the portal's quality gates:
//   axe      runs axe-core (WCAG 2.0/2.1 A and AA rules) on every page listed in SHAPS_PAGES;
//   keyboard reaches and submits the request form with the keyboard alone;
//   search   types a misspelt word into the search page and reads the results that follow it;
//   area     follows, remembers, lists and forgets in the personal area, with and without JavaScript;
//   following sends two requests, one with JavaScript and one without, and follows them through
//            the status page, an association's answer and the personal area, phase by phase: it
//            reads the plan as a line of JSON on its input, prints each phase's report as a line
//            and waits, before the next phase, for the test's reply, once the office has done its part;
//   feedback rates a service card without JavaScript, with the mouse and the keyboard, and sends it;
//   framing  opens SHAPS_OTHER, a page of another origin that frames the portal's pages (an
//            iframe each, with an id), reports what each frame shows, then follows a link of the
//            frame named by SHAPS_CLICK and reports where the whole window went.
// The portal is served at SHAPS_BASE; packages come from SHAPS_NODE_MODULES. Prints JSON.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
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

const out = { axe: [], keyboard: {}, search: {}, area: {} };
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
if (task === "feedback") {
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  const shown = () => plain.evaluate(() => ["positive", "negative"].filter((p) => {
    const r = document.querySelector(`[data-element="feedback-rating-${p}"]`).getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }).join(","));
  await plain.goto(base + process.env.SHAPS_PAGE, { waitUntil: "load" });
  const f = { before: await shown() };
  await plain.click('label[for="fb-stars-2"]');
  f.afterTwo = await shown();
  await plain.keyboard.press("ArrowRight");
  await plain.keyboard.press("ArrowRight");
  f.focused = await plain.evaluate(() => document.activeElement.id);
  f.focusOutline = await plain.evaluate(() => getComputedStyle(document.querySelector(`label[for="${document.activeElement.id}"]`)).outlineStyle);
  f.afterFour = await shown();
  f.filled = await plain.evaluate(() => [...document.querySelectorAll(".stars svg")].map((s) => getComputedStyle(s).fill !== "rgb(255, 255, 255)"));
  await page.goto(plain.url(), { waitUntil: "load" });
  await page.click('label[for="fb-stars-4"]');
  out.axe.push(await axe("feedback, 4 stars chosen"));
  await Promise.all([page.waitForNavigation(), page.click('.feedback button[type="submit"]')]);
  out.axe.push(await axe("feedback, thanks"));
  await plain.click('label[for="fb-positive-chiare"]');
  await plain.fill("#fb-text", "Chiaro.");
  await Promise.all([plain.waitForNavigation(), plain.click('.feedback button[type="submit"]')]);
  f.h1 = await plain.textContent("h1");
  f.back = await plain.getAttribute("main a[href^='/servizi/']", "href");
  out.feedback = f;
}
if (task === "area") {
  const a = (out.area = {});
  const texts = (sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.trim()));
  await page.goto(base + "/associazioni/la-rondine/", { waitUntil: "load" });
  a.followVisible = await page.isVisible("p.follow button");
  await page.click("p.follow button");
  a.followPressed = await page.getAttribute("p.follow button", "aria-pressed");
  a.followNote = await page.isVisible("p.follow [data-following]");
  out.axe.push(await axe("an association followed"));
  await page.goto(base + "/categorie/salute/", { waitUntil: "load" });
  await page.click("p.follow button");
  await page.goto(base + "/area-personale/", { waitUntil: "load" });
  a.followed = await page.$$eval("#area-follow li a", (els) => els.map((e) => e.getAttribute("href")));
  a.calendarURL = await page.inputValue("#area-calendar input");
  a.calendarVisible = await page.isVisible("#area-calendar");
  a.webcal = await page.getAttribute("#area-calendar a[href^='webcal:']", "href");
  a.google = await page.getAttribute("#area-calendar a[href*='google']", "href");
  a.download = await page.getAttribute("#area-calendar a[download]", "href");
  a.calendar = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
  }, a.download);
  out.axe.push(await axe("the area, following"));
  // The form: remember the data and the request.
  await page.goto(base + "/richieste/", { waitUntil: "load" });
  a.rememberVisible = await page.isVisible("#f-remember-data");
  await page.selectOption("#f-category", { index: 1 });
  await page.fill("#f-message", "Mi servirebbe qualcuno che mi accompagni a fare la spesa il giovedì.");
  await page.fill("#f-name", "Maria <b>Rossi</b>");
  await page.fill("#f-email", "maria.rossi@example.org");
  await page.fill("#f-phone", "0383 123456");
  await page.check("#f-pref-phone");
  await page.check("#f-privacy");
  await page.check("#f-remember-data");
  await page.check("#f-remember-request");
  out.axe.push(await axe("the form, remembering"));
  await new Promise((r) => setTimeout(r, 3100)); // a person takes at least a few seconds
  await Promise.all([page.waitForNavigation(), page.click("form.request button[type=submit]")]);
  a.thanksURL = page.url();
  await page.goto(base + "/richieste/", { waitUntil: "load" });
  a.filled = await page.evaluate(() => ({
    name: document.getElementById("f-name").value, email: document.getElementById("f-email").value,
    phone: document.getElementById("f-phone").value,
    pref: document.querySelector("input[name=contact_preference]:checked")?.value || "",
    remember: document.getElementById("f-remember-data").checked,
  }));
  // The area lists the data and the request with its status.
  await page.goto(base + "/area-personale/", { waitUntil: "load" });
  const settled = () => page.waitForFunction(() => [...document.querySelectorAll("#area-requests li p span")].every((s) => s.textContent && !s.textContent.includes("…")));
  await settled();
  a.data = await texts("#area-data dd");
  a.markupInData = await page.$$eval("#area-data b", (els) => els.length);
  a.requests = await page.$$eval("#area-requests li", (els) => els.map((li) => ({
    code: li.querySelector("h3").textContent, href: li.querySelector("h3 a").getAttribute("href"), status: li.querySelector("p span").textContent,
  })));
  out.axe.push(await axe("the area, with data and a request"));
  // A request whose key the status page does not know.
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem("shaps-area"));
    s.requests.push({ code: "VG-AAAA-BB", key: "sbagliata", sent: "2026-11-20" });
    s.requests.push({ code: "VG-HTML-44", key: "qualsiasi", sent: "2026-11-21" });
    localStorage.setItem("shaps-area", JSON.stringify(s));
  });
  await page.reload({ waitUntil: "load" });
  await settled();
  a.wrongKey = await page.$eval("#area-requests li:nth-child(2) p span", (e) => e.textContent);
  a.noStatusPage = await page.$eval("#area-requests li:nth-child(3) p span", (e) => e.textContent);
  // Forget everything.
  await page.click("#area-forget");
  a.forgotten = await page.evaluate(() => ({
    stored: Object.keys(localStorage).length + Object.keys(sessionStorage).length,
    items: document.querySelectorAll("#area-data dd, #area-requests li, #area-follow li").length,
    message: document.getElementById("area-message").textContent,
  }));
  await page.goto(base + "/richieste/", { waitUntil: "load" });
  a.filledAfter = await page.inputValue("#f-name");
  await page.goto(base + "/associazioni/la-rondine/", { waitUntil: "load" });
  a.pressedAfter = await page.getAttribute("p.follow button", "aria-pressed");
  // Without JavaScript.
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await plain.goto(base + "/area-personale/", { waitUntil: "load" });
  a.noJS = {
    notice: await plain.isVisible("#area-nojs"),
    area: await plain.isVisible("#area"),
    form: (await plain.$("form.status-form")) ? await plain.getAttribute("form.status-form", "action") : "",
    fields: await plain.$$eval("form.status-form input", (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.name)),
  };
  await plain.goto(base + "/associazioni/la-rondine/", { waitUntil: "load" });
  a.noJS.follow = await plain.isVisible("p.follow");
  await plain.goto(base + "/richieste/", { waitUntil: "load" });
  a.noJS.remember = await plain.isVisible("#f-remember");
}
if (task === "following") {
  const replies = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const listen = async () => {
    const { value, done } = await replies.next();
    if (done) throw new Error("the test stopped answering");
    return JSON.parse(value);
  };
  const tell = (report) => {
    process.stdout.write(JSON.stringify(report) + "\n");
    return listen();
  };
  // The pages' own policies hold here: nothing is injected into them.
  const js = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
  const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  for (const p of [js, plain]) p.setDefaultTimeout(10000); // a page that is not the one expected fails soon
  const texts = (p, sel) => p.$$eval(sel, (els) => els.map((e) => e.textContent.trim().replace(/\s+/g, " ")));
  const attr = (p, sel, name) => p.$eval(sel, (e, n) => e.getAttribute(n), name).catch(() => "");
  const open = async (p, path) => {
    const res = await p.goto(base + path, { waitUntil: "load" });
    return res.status();
  };
  const submit = async (p, sel) => {
    const [res] = await Promise.all([p.waitForNavigation({ waitUntil: "load" }), p.click(sel)]);
    return res ? res.status() : 0;
  };
  const statusPage = async (p, httpStatus) => ({
    httpStatus, path: new URL(p.url()).pathname,
    h1: await p.textContent("h1"),
    now: (await texts(p, "main p.lead strong"))[0] ?? "",
    facts: await p.$$eval("main dl.facts dt", (dts) => dts.map((dt) => dt.textContent.trim() + ": " + dt.nextElementSibling.textContent.trim())),
    steps: await texts(p, "main ol.steps li"),
    dates: await p.$$eval("main ol.steps li time", (els) => els.map((e) => e.getAttribute("datetime"))),
    html: await p.content(),
  });
  const answerPage = async (p, httpStatus) => ({
    httpStatus, h1: await p.textContent("h1"),
    lead: (await texts(p, "main p.lead"))[0] ?? "",
    facts: await p.$$eval("main dl.facts dt", (dts) => dts.map((dt) => dt.textContent.trim() + ": " + dt.nextElementSibling.textContent.trim())),
    form: (await attr(p, "main form", "method")) + " " + (await attr(p, "main form", "action")),
    fields: await p.$$eval("main form input, main form textarea", (els) => els.map((e) => e.name)),
    button: (await texts(p, "main form button"))[0] ?? "",
  });
  const fillForm = async (p, r) => {
    await open(p, "/richieste/");
    await p.selectOption("#f-category", r.category);
    await p.fill("#f-message", r.message);
    await p.fill("#f-name", r.name);
    await p.fill("#f-email", r.email);
    await p.fill("#f-phone", r.phone);
    await p.check("#f-pref-" + r.pref);
    await p.check("#f-privacy");
  };
  const thanks = async (p, httpStatus) => ({
    httpStatus, path: new URL(p.url()).pathname, codes: await texts(p, "main p.code strong"),
    statusLink: await attr(p, "main a[href*='/richieste/stato/?']", "href"),
  });
  const area = async () => {
    await open(js, "/area-personale/");
    await js.waitForFunction(() => [...document.querySelectorAll("#area-requests li p span")].every((s) => s.textContent && !s.textContent.includes("…")));
    return {
      data: await texts(js, "#area-data dd"),
      requests: await js.$$eval("#area-requests li", (els) => els.map((li) => ({
        code: li.querySelector("h3").textContent, href: li.querySelector("h3 a").getAttribute("href"), status: li.querySelector("p span").textContent,
      }))),
    };
  };
  const plan = await listen();

  // Sent: the form with JavaScript, remembering; the form without; the thanks pages and the
  // status page of each, without JavaScript through its form, the key typed as a person would.
  await fillForm(js, plan.js);
  await js.check("#f-remember-data");
  await js.check("#f-remember-request");
  const typed = Date.now();
  await fillForm(plain, plan.plain);
  const plainThanks = await thanks(plain, await submit(plain, "form.request button[type=submit]"));
  await new Promise((r) => setTimeout(r, Math.max(0, 3100 - (Date.now() - typed)))); // a person takes a few seconds
  const jsThanks = await thanks(js, await submit(js, "form.request button[type=submit]"));
  const jsStatus = jsThanks.statusLink ? await statusPage(js, await submit(js, "main a[href*='/richieste/stato/?']")) : null;
  await open(plain, "/richieste/stato/");
  const formShown = await plain.isVisible("#f-chiave");
  await plain.fill("#f-codice", plainThanks.codes[0] ?? "");
  await plain.fill("#f-chiave", (plainThanks.codes[1] ?? "").toLowerCase().replace(/(.{4})(?=.)/g, "$1 "));
  const plainStatus = await statusPage(plain, await submit(plain, "main form button[type=submit]"));
  const plainStatusPath = new URL(plain.url()).pathname + new URL(plain.url()).search;
  let office = await tell({ js: { thanks: jsThanks, status: jsStatus }, plain: { thanks: plainThanks, formShown, status: plainStatus }, area: await area() });

  // Opened: each association opens the link of its e-mail, and only looks.
  const links = office;
  office = await tell({ js: await answerPage(js, await open(js, links.js)), plain: await answerPage(plain, await open(plain, links.plain)) });

  // Confirmed: the status pages after the office's pull; then each association confirms, with a
  // note from the one with JavaScript.
  const statuses = async () => ({
    js: await statusPage(js, await open(js, jsThanks.statusLink)),
    plain: await statusPage(plain, await open(plain, plainStatusPath)),
  });
  const looked = await statuses();
  await open(js, links.js);
  await js.fill("#f-nota", plan.note);
  const jsDone = await answerPage(js, await submit(js, "main form button[type=submit]"));
  await open(plain, links.plain);
  const plainDone = await answerPage(plain, await submit(plain, "main form button[type=submit]"));
  office = await tell({ looked, done: { js: jsDone, plain: plainDone } });

  // Taken up, after the office's pull.
  office = await tell(await statuses());

  // Closed by the office; then the personal area: the request and its status, the form filled
  // in, an association and a category followed, and everything forgotten.
  const closed = await statuses();
  const listed = await area();
  await open(js, "/richieste/");
  const filled = await js.evaluate(() => ({
    name: document.getElementById("f-name").value, email: document.getElementById("f-email").value,
    phone: document.getElementById("f-phone").value,
    pref: document.querySelector("input[name=contact_preference]:checked")?.value || "",
    remember: document.getElementById("f-remember-data").checked,
  }));
  await open(js, "/associazioni/" + plan.follow.association + "/");
  await js.click("p.follow button");
  await open(js, "/categorie/" + plan.follow.category + "/");
  await js.click("p.follow button");
  await open(js, "/area-personale/");
  const following = {
    followed: await js.$$eval("#area-follow li a", (els) => els.map((e) => e.getAttribute("href"))),
    calendarVisible: await js.isVisible("#area-calendar"),
    calendar: await attr(js, "#area-calendar a[download]", "href"),
  };
  following.calendarStatus = await js.evaluate(async (u) => (await fetch(u)).status, following.calendar);
  await js.click("#area-forget");
  const forgotten = await js.evaluate(() => ({
    stored: Object.keys(localStorage).length + Object.keys(sessionStorage).length,
    items: document.querySelectorAll("#area-data dd, #area-requests li, #area-follow li").length,
    message: document.getElementById("area-message").textContent,
  }));
  await open(js, "/richieste/");
  forgotten.name = await js.inputValue("#f-name");
  await tell({ closed, area: { listed, filled, following, forgotten } });
}
await browser.close();
process.stdout.write(JSON.stringify(out));
