// Drives Debian's Chromium through playwright-core in the editing interface at /admin/, served
// by `serve` with decap-server as the local backend: it creates an event for an association
// through the form, first with an invalid start (which the form must refuse), then a valid one.
// The portal is at SHAPS_BASE; packages come from SHAPS_NODE_MODULES; the event goes into the
// collection SHAPS_COLLECTION. Then it uploads the logo SHAPS_LOGO for the association
// SHAPS_ASSOCIATION and saves its profile. With SHAPS_TASK=draft it only saves a new event
// through the editorial workflow. Prints JSON.
import { createRequire } from "node:module";
import { join } from "node:path";

const { chromium } = createRequire(join(process.env.SHAPS_NODE_MODULES, "/"))("playwright-core");
const base = process.env.SHAPS_BASE;
const collection = process.env.SHAPS_COLLECTION;

const browser = await chromium.launch({
  executablePath: process.env.SHAPS_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const out = { consoleErrors: [], refused: [], savedURL: "", title: "" };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  page.setDefaultTimeout(20000);
  page.on("console", (m) => { if (m.type() === "error") out.consoleErrors.push(m.text().slice(0, 300)); });
  page.on("pageerror", (e) => out.consoleErrors.push(String(e.message ?? e).slice(0, 300)));

  await page.goto(base + "/admin/");
  out.title = await page.title();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("link", { name: /Eventi · / }).first().waitFor();
  await page.goto(`${base}/admin/#/collections/${collection}/new`);

  if (process.env.SHAPS_TASK === "draft") await draft(page);
  else await create(page);
} catch (e) {
  if (process.env.SHAPS_SCREENSHOT) await browser.contexts()[0]?.pages()[0]?.screenshot({ path: process.env.SHAPS_SCREENSHOT });
  throw e;
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));

// draft saves a new event through the editorial workflow: it stays a draft on a branch of its own.
async function draft(page) {
  await page.getByLabel("Titolo", { exact: true }).fill("Tombola di Santo Stefano");
  await page.getByLabel("Inizio", { exact: true }).fill("2026-12-26T16:00");
  await page.getByRole("button", { name: "Salva", exact: true }).click();
  await page.waitForURL(/\/entries\//);
  out.savedURL = page.url();
}

// create refuses an invalid start, publishes a new event, then uploads a logo.
async function create(page) {

  await page.getByLabel("Titolo", { exact: true }).fill("Merenda di Natale è servita");
  await page.getByLabel("Inizio", { exact: true }).fill("domani alle 15");
  const publish = async () => {
    await page.getByRole("button", { name: "Pubblica", exact: true }).click();
    await page.getByText("Pubblica ora", { exact: true }).click();
  };
  await publish();
  const errors = page.locator("li", { hasText: "Inizio" });
  await errors.first().waitFor();
  out.refused = await errors.allTextContents();

  const start = page.getByLabel("Inizio", { exact: true });
  await start.fill("");
  await start.fill("2026-12-12T15:30");
  await page.getByLabel("Fine (opzionale)", { exact: true }).fill("2026-12-12T18:00");
  await page.getByLabel("Categorie (opzionale)", { exact: true }).click();
  await page.keyboard.type("Salute");
  await page.getByText("Salute e benessere", { exact: true }).last().waitFor();
  await page.keyboard.press("Enter");
  await page.getByLabel("Stato (opzionale)", { exact: true }).click();
  await page.getByText("confermato", { exact: true }).last().click();
  await publish();
  await page.waitForURL(/\/entries\//);
  out.savedURL = page.url();

  // A fresh load of the interface, as an editor coming back would do.
  await page.goto(`${base}/admin/#/collections/associazioni/entries/${process.env.SHAPS_ASSOCIATION}/association`);
  await page.reload();
  await page.getByRole("button", { name: "Scegli un'altra immagine" }).click();
  await page.locator('input[type="file"]').setInputFiles(process.env.SHAPS_LOGO);
  await page.getByRole("button", { name: "Prendi selezionato" }).click();
  await page.getByText("Modifiche non salvate", { exact: true }).waitFor();
  await publish();
  await page.getByText("Modifiche salvate", { exact: true }).waitFor();
}
