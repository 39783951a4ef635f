// Browser tests of `orgsim serve` in Debian's chromium, driven by playwright-core (no browser
// download: it is pointed at the system's chromium). Run by .ci/run after `cargo test`:
//
//   npm ci --prefix tests/browser && node --test tests/browser/
//
// They fail, never skip, when chromium or the orgsim binary is missing. Screenshots at
// 1280x720 and 1920x1080, light and dark, are written to target/browser-screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = process.env.ORGSIM_BIN || join(root, "target", "debug", "orgsim");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = join(root, "target", "browser-screenshots");
// Few replicates keep the tests quick; the page behaves the same at any number.
const QUICK = "replicates=4";

let server;
let base;
let browser;

before(async () => {
  assert.ok(existsSync(browserPath), `chromium not found at ${browserPath} (apt-get install chromium chromium-driver, or set CHROMIUM)`);
  assert.ok(existsSync(bin), `orgsim not found at ${bin} (cargo build, or set ORGSIM_BIN)`);
  server = spawn(bin, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  base = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/[0-9.]+:\d+\//);
      if (m) resolve(m[0].slice(0, -1));
    });
    server.on("exit", (code) => reject(new Error(`orgsim serve exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`orgsim serve printed no address: ${out}`)), 20000);
  });
  browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill();
});

// A page that records console errors and uncaught exceptions.
async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(m.text()); });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  await page.goto(base + url);
  return page;
}

// Waits until the page has finished a run (the status line names its replicates and seed).
async function settled(page) {
  await page.waitForFunction(() => !document.body.classList.contains("busy")
    && /replicates, seed/.test(document.getElementById("status-text").textContent), null, { timeout: 60000 });
}

const capacityLine = (page) => page.getAttribute('[data-chart="innovation_capacity"] path[data-series="current"]', "d");

// Moves a range control the way a user does: sets its value, then releases it ("change").
async function move(page, param, value) {
  await page.$eval(`[data-param="${param}"]`, (el, v) => {
    el.value = v;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, String(value));
}

test("the page loads with no console errors and draws its charts", async () => {
  const page = await open(`/?scenario=dual-system&${QUICK}`);
  await settled(page);
  for (const chart of ["innovation_capacity", "two_systems", "headcount_efficiency"]) {
    assert.ok(await page.$(`[data-chart="${chart}"] svg path`), `chart ${chart} has no line`);
  }
  // Controls carry their JSON paths: the main parameters and the coalition of the dual system.
  for (const param of ["organization.capacity", "leadership.fear", "interventions[0].start_year",
    "interventions[0].guiding_coalition.seats", "interventions[0].keep_close.enabled"]) {
    assert.ok(await page.$(`[data-param="${param}"]`), `no control for ${param}`);
  }
  assert.ok(await page.$('tr[data-outcome="capacity_auc"]'), "no outcome table");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("moving a control changes the chart, and the URL keeps it", async () => {
  const page = await open(`/?scenario=dual-system&${QUICK}`);
  await settled(page);
  const before = await capacityLine(page);
  await move(page, "interventions[0].guiding_coalition.seats", 120);
  await page.waitForFunction(() => /guiding_coalition.seats%3D120|guiding_coalition\.seats=120/.test(decodeURIComponent(location.search)));
  await settled(page);
  await page.waitForFunction((d) => document.querySelector('[data-chart="innovation_capacity"] path[data-series="current"]').getAttribute("d") !== d, before);
  assert.notEqual(await capacityLine(page), before);
  assert.equal(await page.$eval('[data-param="interventions[0].guiding_coalition.seats"]', (el) => el.value), "120");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("pin and compare: paired differences beside the chart", async () => {
  const page = await open(`/?scenario=baseline&${QUICK}`);
  await settled(page);
  await page.click("#pin");
  await page.selectOption("#add-kind", "dual_operating_system");
  await page.click("#add");
  await page.waitForSelector('table[data-compare="1"] tr[data-outcome="capacity_auc"]', { timeout: 60000 });
  await settled(page);
  // The pinned run is drawn under the current one.
  assert.ok(await page.$('[data-chart="innovation_capacity"] path[data-series^="baseline"]'), "no pinned line");
  const diff = await page.$eval('table[data-compare="1"] tr[data-outcome="capacity_auc"] td:last-child', (td) => td.textContent);
  assert.match(diff, /^\+/, `the dual system adds capacity: ${diff}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a copied link reproduces the state", async () => {
  const page = await open(`/?scenario=task-forces&${QUICK}&seed=7`);
  await settled(page);
  await move(page, "leadership.fear", 0.5);
  await page.waitForFunction(() => /leadership\.fear=0\.5/.test(decodeURIComponent(location.search)));
  await settled(page);
  const link = page.url();
  const line = await capacityLine(page);
  const other = await open(link.slice(base.length));
  await settled(other);
  assert.equal(await other.$eval('[data-param="leadership.fear"]', (el) => el.value), "0.5");
  assert.equal(await other.$eval("#seed", (el) => el.value), "7");
  assert.equal(await other.$eval("#scenario", (el) => el.value), "task-forces");
  assert.equal(await capacityLine(other), line);
  assert.deepEqual(other.errors, []);
  await page.context().close();
  await other.context().close();
});

test("the exported scenario is one `orgsim validate` accepts", async () => {
  const page = await open(`/?scenario=dual-system&${QUICK}&set=interventions%5B0%5D.guiding_coalition.seats%3D30`);
  await settled(page);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-scenario")]);
  const file = join(mkdtempSync(join(tmpdir(), "orgsim-browser-")), download.suggestedFilename());
  await download.saveAs(file);
  const doc = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(doc.interventions[0].guiding_coalition.seats, 30);
  execFileSync(bin, ["validate", file]);
  await page.context().close();
});

test("the HTML snapshot stands alone, and the PNG is a chart of orgsim plot", async () => {
  const page = await open(`/?scenario=baseline&${QUICK}`);
  await settled(page);
  await page.click("#pin");
  await move(page, "leadership.fear", 0.6);
  await page.waitForSelector('table[data-compare="1"]', { timeout: 60000 });
  await settled(page);
  const dir = mkdtempSync(join(tmpdir(), "orgsim-browser-"));
  const [html] = await Promise.all([page.waitForEvent("download"), page.click("#export-html")]);
  await html.saveAs(join(dir, "snapshot.html"));
  const text = readFileSync(join(dir, "snapshot.html"), "utf8");
  assert.match(text, /<svg/);
  assert.match(text, /leadership\.fear=0\.6/);
  assert.match(text, /data-compare="1"|Current minus/);
  assert.doesNotMatch(text, /<script|src="|href="style/, "the snapshot loads nothing");
  const [png] = await Promise.all([page.waitForEvent("download", { timeout: 60000 }), page.click("#export-png")]);
  await png.saveAs(join(dir, "chart.png"));
  assert.deepEqual([...readFileSync(join(dir, "chart.png")).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("interventions are added and removed, a file is opened, a long run is stopped", async () => {
  const page = await open(`/?scenario=baseline&${QUICK}`);
  await settled(page);
  assert.equal(await page.$$eval(".intervention", (e) => e.length), 0);
  await page.selectOption("#add-kind", "task_force");
  await page.click("#add");
  await page.waitForSelector('[data-param="interventions[0].every_years"]');
  await settled(page);
  assert.equal(await page.$$eval('[data-chart="innovation_capacity"] line.marker', (e) => e.length) > 0, true);
  await page.click(".intervention .remove");
  await page.waitForFunction(() => document.querySelectorAll(".intervention").length === 0);
  await settled(page);
  // A file from the user's disk: its title and settings drive the controls.
  await page.setInputFiles("#file", { name: "client.json", mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ extends: "baseline", organization: { capacity: 900 }, replicates: 3 })) });
  await page.waitForFunction(() => document.querySelector('[data-param="organization.capacity"]')?.value === "900");
  await settled(page);
  // The file travels in the link: a copied link opens the same what-if, file included.
  await page.waitForFunction(() => location.hash.startsWith("#file=client.json:"));
  const line = await capacityLine(page);
  const other = await open(page.url().slice(base.length));
  await settled(other);
  assert.equal(await other.$eval('[data-param="organization.capacity"]', (el) => el.value), "900");
  assert.equal(await other.$eval("#scenario", (el) => el.value), "__file");
  assert.equal(await capacityLine(other), line);
  assert.deepEqual(other.errors, []);
  await other.context().close();
  // A damaged link (cut short by a mail client, or with a character added) says so, and runs
  // nothing else in its place.
  for (const damaged of [page.url().slice(0, -6), page.url() + "."]) {
    const bad = await open(damaged.slice(base.length));
    await bad.waitForFunction(() => !document.getElementById("error").hidden);
    assert.match(await bad.textContent("#error"), /scenario file could not be read/);
    assert.equal(await bad.$eval("#scenario", (el) => el.value), "__file");
    assert.equal(await bad.$('[data-chart="innovation_capacity"] path[data-series="current"]'), null);
    await bad.context().close();
  }
  // A run of 200 replicates, stopped: the page is usable at once and keeps the last charts.
  await move(page, "replicates", 200);
  await page.waitForFunction(() => !document.getElementById("stop").disabled);
  await page.click("#stop");
  await page.waitForFunction(() => document.getElementById("status-text").textContent === "Stopped.");
  // It stays stopped (no poll of the stopped run writes over it).
  await page.waitForTimeout(500);
  assert.equal(await page.textContent("#status-text"), "Stopped.");
  assert.equal(await page.$eval("body", (b) => b.classList.contains("busy")), false);
  assert.ok(await page.$('[data-chart="innovation_capacity"] path[data-series="current"]'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a value out of range shows the command line's error", async () => {
  const page = await open(`/?scenario=baseline&${QUICK}&set=leadership.fear%3D3`);
  await page.waitForSelector("#error:not([hidden])");
  const text = await page.textContent("#error");
  assert.match(text, /leadership\.fear = 3: must be a probability in \[0, 1\]/);
  await page.context().close();
});

test("screenshots at 1280x720 and 1920x1080, light and dark", async () => {
  for (const [w, h] of [[1280, 720], [1920, 1080]]) {
    for (const scheme of ["light", "dark"]) {
      // Story mode at "the dual system at maturity", pinned, then one step on: early, with
      // onboarding, drawn over it with the paired differences (the page's default replicates).
      const page = await open(`/?scenario=dual-system&story=5&theme=${scheme}`, { viewport: { width: w, height: h }, colorScheme: scheme });
      await settled(page);
      await page.click("#pin");
      await page.click("#story-next");
      await page.waitForSelector('table[data-compare="1"]', { timeout: 60000 });
      await settled(page);
      assert.equal(await page.textContent("#story-count"), "7 / 7");
      await page.screenshot({ path: join(shots, `serve-${w}x${h}-${scheme}.png`) });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
});
