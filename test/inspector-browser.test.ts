/**
 * The inspector page in a real browser: Debian's Chromium driven by playwright-core against a real
 * `dev`. A request sent from outside appears live; the detail shows its headers and pretty body;
 * replay and edit-and-replay reach the handler; after an edit of the source a replay shows the diff;
 * the curl export reproduces the request; save as fixture writes a file `endpoint-kit test` passes;
 * the filter box narrows the list to text found in a body, live.
 * Takes the screenshot the README shows (docs/inspector.png, rewritten with UPDATE_SCREENSHOT=1).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { REPO_ROOT } from "./helpers/repo.js";
import { BIN, createDevPlugin, startDev, type DevPlugin, type DevProcess } from "./helpers/spawn-dev.js";

const CHROMIUM = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].find((path) => path && existsSync(path));
const skip = CHROMIUM ? false : "no /usr/bin/chromium (apt-get install -y chromium; .ci/run installs it)";
const TIMEOUT = 10_000;

const source = (version: string) => `import { Endpoint } from "endpoint-kit";

export default class Orders extends Endpoint {
  async _invoke(r: Request, values: Record<string, unknown>): Promise<Response> {
    const order = (await r.json()) as { items: unknown[] };
    console.log("order", values.id, "with", order.items.length, "items");
    return Response.json({ id: values.id, items: order.items.length, signed: r.headers.get("x-signature") ?? null, version: "${version}" });
  }
}
`;

let plugin: DevPlugin;
let dev: DevProcess;
// Loaded only when Chromium is there: importing playwright-core costs a second.
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  plugin = await createDevPlugin({ fixture: "http", endpoints: [{ name: "orders", path: "/orders/<int:id>", method: "POST", source: "endpoints/orders.ts" }], files: { "endpoints/orders.ts": source("v1") } });
  dev = await startDev(plugin.dir);
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  await browser?.close();
  await dev?.stop();
  await plugin?.remove();
});

test("the inspector page: live list, detail, replay, edit and replay, diff after a reload, export, save as fixture", { skip, timeout: 90_000 }, async () => {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const base = `http://127.0.0.1:${dev.port}`;
  await page.goto(`${base}/_endpoint-kit/`);
  await page.locator("#live", { hasText: "live" }).waitFor();

  // Sent from outside the page: it appears in the list without a reload.
  const sent = await fetch(`${base}/orders/42?src=test`, { method: "POST", headers: { "content-type": "application/json", "x-signature": "sha256=abc" }, body: '{"items":[1,2,3]}' });
  assert.equal(sent.status, 200);
  const row = page.locator("#list tbody tr", { hasText: "/orders/42?src=test" });
  await row.waitFor();
  await row.locator("td", { hasText: "200" }).waitFor();

  const first = await row.getAttribute("data-id");
  const firstRow = page.locator(`#list tbody tr[data-id='${first}']`);
  await row.click();
  const detail = page.locator("#detail");
  await detail.locator("td", { hasText: "x-signature" }).first().waitFor();
  await detail.locator("pre", { hasText: '"items": [\n    1,' }).first().waitFor();
  await detail.locator("#logs", { hasText: "order 42 with 3 items" }).waitFor();

  // Replay as captured: a second record, handled again, same answer.
  await page.keyboard.press("r");
  await page.locator("#list tbody tr", { hasText: `↻${first}` }).first().waitFor();
  await detail.locator("#diff", { hasText: "Same answer" }).waitFor();

  // Edit and replay: the signature warning, then the edited body reaches the handler.
  await firstRow.click();
  // The detail is filled once the record is fetched: until then #edit is the previous record's button.
  await detail.locator("h2", { hasText: `#${first} ` }).waitFor();
  await page.locator("#edit").click();
  await page.locator("#edit-form textarea[name=body]").fill('{"items":[1,2,3,4,5]}');
  await page.locator("#sig-warning", { hasText: "invalidates the signature in x-signature" }).waitFor();
  await page.locator("#edit-form button[type=submit]").click();
  await detail.locator("#diff", { hasText: '"items": 5' }).waitFor();

  // Edit the source: after the reload a replay's diff shows the new answer against the first one.
  const from = dev.output().length;
  await plugin.write("endpoints/orders.ts", source("v2"));
  await dev.waitFor(/reloaded/, from);
  await firstRow.click();
  await detail.locator("h2", { hasText: `#${first} ` }).waitFor();
  await page.locator("#replay").click();
  await detail.locator("#diff", { hasText: "after 1 reload" }).waitFor();
  await detail.locator("#diff .del", { hasText: '"version": "v1"' }).waitFor();
  await detail.locator("#diff .add", { hasText: '"version": "v2"' }).waitFor();
  // The README's picture is rewritten only when asked (UPDATE_SCREENSHOT=1), so a test run leaves
  // the work tree clean; the shot itself is always taken, so a page that cannot render fails here.
  const shot = await page.screenshot(process.env.UPDATE_SCREENSHOT === "1" ? { path: join(REPO_ROOT, "docs", "inspector.png") } : {});
  assert.ok(shot.length > 10_000, `a ${shot.length}-byte screenshot`);

  // Export as curl: the command, run by a shell, sends the same request (a new record with the same body).
  await firstRow.click();
  await detail.locator("h2", { hasText: `#${first} ` }).waitFor();
  await page.locator("[data-export=curl]").click();
  const command = (await page.locator("#export-text").textContent())?.trim();
  assert.match(command ?? "", /^curl .*--data-binary '\{"items":\[1,2,3\]\}'$/);
  if (spawnSync("curl", ["--version"]).status === 0) {
    const answer = JSON.parse(execFileSync("sh", ["-c", command!], { encoding: "utf8" })) as { id: number; items: number; signed: string };
    assert.deepEqual(answer, { id: 42, items: 3, signed: "sha256=abc", version: "v2" });
  }

  // Save as fixture: a file in fixtures/ that `endpoint-kit test` passes (the record answered by v1 is #1: use a v2 replay).
  const lastReplay = await page.locator("#list tbody tr", { hasText: `↻${first}` }).first().getAttribute("data-id");
  await page.locator(`#list tbody tr[data-id='${lastReplay}']`).click();
  await page.locator("#save-fixture").click();
  const saved = await page.locator("#saved").textContent();
  const path = /Saved (\S+):/.exec(saved ?? "")?.[1];
  assert.ok(path?.startsWith("fixtures/"), saved ?? "");
  assert.match(await readFile(join(plugin.dir, path!), "utf8"), /version: v2/);
  const run = spawnSync(process.execPath, [BIN, "test", plugin.dir, "--no-color"], { encoding: "utf8" });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);

  // Routes and settings, from the keyboard.
  await page.locator("body").press("Escape");
  await page.keyboard.press("s");
  await detail.locator("td", { hasText: "/orders/<int:id>" }).waitFor();

  // The filter box searches the bodies on the server: text found only in one request's body leaves
  // only its row, a matching request sent meanwhile appears, one that does not stays hidden.
  const post = (id: number, body: string) => fetch(`${base}/orders/${id}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  await post(43, '{"items":[7],"note":"gift-wrap please"}');
  await page.locator("#list tbody tr", { hasText: "/orders/43" }).waitFor();
  const shown = () => page.locator("#list tbody tr:not([hidden])").evaluateAll((rows) => rows.map((row) => row.querySelector(".path")?.textContent));
  const waitShown = async (paths: string[]) => {
    for (let waited = 0; JSON.stringify(await shown()) !== JSON.stringify(paths); waited += 50) {
      if (waited > TIMEOUT) assert.deepEqual(await shown(), paths);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  assert.ok((await shown()).length > 2);
  await page.locator("#filter").fill("gift-wrap");
  await waitShown(["/orders/43"]);
  await post(44, '{"items":[],"note":"no wrapping"}');
  await post(45, '{"items":[],"note":"GIFT-WRAP"}');
  await page.locator("#list tbody tr", { hasText: "/orders/44" }).waitFor({ state: "attached" });
  await waitShown(["/orders/45", "/orders/43"]);
  await page.locator("#filter").fill("gift-wrap -body:please");
  await waitShown(["/orders/45"]);
  await page.locator("#filter").fill("");
  await waitShown((await page.locator("#list tbody tr .path").allTextContents()));
  assert.deepEqual(errors, []);
});
