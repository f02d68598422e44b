// The course book in a real browser (Debian's headless Chromium, driven by playwright-core):
// the first page and three chapter pages load without console errors, show the sidebar,
// render their formulas as MathML (laid out with height, no TeX left in the text), show
// their figures, and the search box finds a claim id. A phone-width window does not scroll
// sideways.
//
//   BOOK_DIR=target/ci-tour node --test lectures/browser-tests/book.test.mjs
//
// BOOK_DIR is the book's folder (default: out/tour from the repository root); with
// SCREENSHOTS=docs the first page and a chapter page are saved there for the README.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const bookDir = path.resolve(root, process.env.BOOK_DIR || "out/tour");
const shots = process.env.SCREENSHOTS ? path.resolve(root, process.env.SCREENSHOTS) : null;
const url = (file) => pathToFileURL(path.join(bookDir, file)).href;

let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(bookDir, "index.html")), `no book in ${bookDir}: run the tour first`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
});

/** Opens `file` in a fresh page; returns the page and the console errors it logs. */
async function open(file, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("requestfailed", (r) => errors.push(`failed to load ${r.url()}`));
  await page.goto(url(file), { waitUntil: "load" });
  return { page, errors };
}

/** The page's visible text outside code and preformatted blocks. */
function proseText(page) {
  return page.evaluate(() => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll("pre, code, script").forEach((e) => e.remove());
    return body.textContent;
  });
}

test("the first page lists every claim with PASS/FAIL and has the sidebar", async () => {
  const { page, errors } = await open("index.html");
  assert.ok(await page.locator("nav.sidebar").isVisible(), "sidebar visible");
  const chapters = await page.locator("nav.sidebar > ol > li").count();
  assert.ok(chapters >= 8, `sidebar lists the chapters (${chapters})`);
  const claims = await page.locator("table.glance code").count();
  assert.ok(claims >= 30, `claims listed (${claims})`);
  const badges = await page.locator("table.glance .badge.pass, table.glance .badge.fail").count();
  assert.equal(badges, claims, "every claim has PASS or FAIL");
  if (shots) await page.screenshot({ path: path.join(shots, "book-first-page.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

for (const chapter of ["00-linear-algebra.html", "03-spectral-and-kernel.html", "06-autoencoders.html"]) {
  test(`${chapter}: formulas are MathML, figures and evidence are shown`, async () => {
    const { page, errors } = await open(chapter);
    assert.ok(await page.locator("nav.sidebar").isVisible(), "sidebar visible");
    const formulas = await page.locator("math").count();
    assert.ok(formulas > 20, `MathML formulas (${formulas})`);
    // Laid out as mathematics: a displayed fraction is taller than a line of text.
    const tallest = await page.evaluate(() => Math.max(...[...document.querySelectorAll("math[display=block]")]
      .map((m) => m.getBoundingClientRect().height)));
    assert.ok(tallest > 30, `a displayed formula is laid out in 2-D (${tallest} px high)`);
    const prose = await proseText(page);
    for (const tex of ["$$", "\\frac", "\\sum", "\\operatorname"]) {
      assert.ok(!prose.includes(tex), `no raw TeX ${tex} in the text`);
    }
    // The live panels need `lectures explore`; read from disk they stay hidden.
    const panels = await page.locator(".live").count();
    const shown = await page.locator(".live:visible").count();
    assert.ok(panels >= 1 && shown === 0, `live panels present (${panels}) and hidden (${shown} shown)`);
    const evidence = await page.locator("section.evidence").count();
    assert.ok(evidence >= 3, `evidence blocks (${evidence})`);
    const images = page.locator("figure img");
    const n = await images.count();
    assert.ok(n >= 1, "the chapter shows figures");
    for (let k = 0; k < n; k++) {
      const img = images.nth(k);
      await img.scrollIntoViewIfNeeded();
      const ok = await img.evaluate((e) => e.complete && e.naturalWidth > 0 && e.getBoundingClientRect().width > 100);
      assert.ok(ok, `figure ${await img.getAttribute("src")} is drawn`);
    }
    if (shots && chapter.startsWith("00")) {
      // The end of the derivation above the evidence block of the chapter's first claim.
      await page.evaluate(() => {
        const block = document.getElementById("la.jacobi.converges-evidence");
        window.scrollTo(0, block.getBoundingClientRect().top + window.scrollY - 420);
      });
      await page.screenshot({ path: path.join(shots, "book-chapter.png") });
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("the search box finds a claim id and a phone-width window does not scroll sideways", async () => {
  const { page, errors } = await open("01-pca-and-mds.html", { width: 390, height: 844 });
  await page.fill("#search", "ky-fan");
  const hit = page.locator("#search-results a").first();
  assert.match(await hit.getAttribute("href"), /00-linear-algebra\.html#la\.ky-fan/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling (${overflow} px too wide)`);
  assert.deepEqual(errors, []);
  await page.close();
});
