/**
 * The inspector's JSON API end to end against a real `dev`: records, replay with overrides through
 * the pipeline, exports, pin and clear; and its safety: loopback Host only (a tunnel's
 * `--allow-host` name reaches the plugin's routing instead), cross-site callers refused, secrets
 * never sent, `--no-inspect` turning it all off.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createDevPlugin, startDev, type DevPlugin, type DevProcess } from "./helpers/spawn-dev.js";

const SECRET = "sk-live-inspector-9d1e2f";
const SETTINGS = `  - name: api_key
    type: secret-input
    required: true
    label:
      en_US: API key`;

let plugin: DevPlugin;
let dev: DevProcess;

before(async () => {
  plugin = await createDevPlugin({
    fixture: "http", settingsYaml: SETTINGS,
    endpoints: [{ name: "echo-post", path: "/echo/<int:n>/body", method: "POST", source: "endpoints/echo.ts" }, { name: "leak", path: "/leak", method: "GET", source: "endpoints/leak.ts" }],
    files: { "endpoints/leak.ts": `import { Endpoint } from "endpoint-kit";\nexport default class Leak extends Endpoint {\n  _invoke(_r: Request, _v: unknown, s: Record<string, string>): Response {\n    console.log("key is", s.api_key);\n    return new Response("key=" + s.api_key);\n  }\n}\n` },
  });
  const settingsFile = join(plugin.base, "settings.yaml");
  await writeFile(settingsFile, `api_key: "${SECRET}"\n`);
  dev = await startDev(plugin.dir, ["--settings", settingsFile, "--allow-host", "tunnel.example"]);
});

after(async () => {
  await dev?.stop();
  await plugin?.remove();
});

const api = (path: string, options: Parameters<DevProcess["request"]>[1] = {}) => dev.request(`/_endpoint-kit/api/${path}`, options);
const json = <T>(body: string) => JSON.parse(body) as T;
interface Summary { id: number; method: string; target: string; status?: number; endpoint?: string; replayOf?: number; pinned: boolean }

describe("inspector API", () => {
  test("the banner names the page; the page and its assets are served", async () => {
    assert.match(dev.stdout(), new RegExp(`inspect +http://127\\.0\\.0\\.1:${dev.port}/_endpoint-kit/`));
    const page = await dev.request("/_endpoint-kit/");
    assert.equal(page.status, 200);
    assert.match(page.body, /<script src="app.js"/);
    assert.equal((await dev.request("/_endpoint-kit/app.js")).status, 200);
  });

  test("a request is recorded as it arrived, as the handler got it, and as answered; replay reaches the handler", async () => {
    const sent = await dev.request("/echo/3/body?b=2&a=1", { method: "POST", headers: { "content-type": "application/json", "x-first": "1" }, body: '{"n":3}' });
    assert.equal(sent.status, 200);
    const { requests } = json<{ requests: Summary[] }>((await api("requests")).body);
    const summary = requests.find((r) => r.target === "/echo/3/body?b=2&a=1")!;
    assert.equal(summary.status, 200);
    assert.equal(summary.endpoint, "endpoints/echo-post.yaml");
    const record = json<{ request: { headers: string[][]; body: string }; handler: { url: string; headers: string[][]; settingNames: string[] }; response: { body: string } }>((await api(`requests/${summary.id}`)).body);
    assert.deepEqual(record.request.headers.map(([name]) => name).slice(0, 3), ["content-type", "x-first", "host"]);
    assert.equal(Buffer.from(record.request.body, "base64").toString(), '{"n":3}');
    assert.match(record.handler.url, /\/echo\/3\/body\?a=1&b=2$/, "the query as Dify re-encodes it");
    assert.ok(record.handler.headers.some(([name]) => name === "Dify-Hook-Id"));
    assert.deepEqual(record.handler.settingNames, ["api_key"]);
    assert.equal(json<{ bodyLength: number }>(Buffer.from(record.response.body, "base64").toString()).bodyLength, 7);

    const replay = await api(`requests/${summary.id}/replay`, { method: "POST", body: JSON.stringify({ body: '{"n":30000}' }) });
    const replayed = json<{ id: number; status: number }>(replay.body);
    assert.equal(replayed.status, 200);
    const again = json<{ replayOf: number; response: { body: string }; original: { id: number } }>((await api(`requests/${replayed.id}`)).body);
    assert.equal(again.replayOf, summary.id);
    assert.equal(again.original.id, summary.id);
    assert.equal(json<{ bodyLength: number }>(Buffer.from(again.response.body, "base64").toString()).bodyLength, 11);

    const curl = await api(`requests/${summary.id}/export?format=curl`);
    assert.match(curl.body, /^curl -sS -X POST 'http:\/\/127\.0\.0\.1:\d+\/echo\/3\/body\?b=2&a=1' -H 'content-type: application\/json' -H 'x-first: 1'.* --data-binary '\{"n":3\}'/);
    const har = json<{ log: { entries: Array<{ request: { method: string } }> } }>((await api(`requests/${summary.id}/export?format=har`)).body);
    assert.equal(har.log.entries[0]!.request.method, "POST");
    assert.equal((await api(`requests/${summary.id}/export?format=zip`)).status, 400);
  });

  test("pin and clear: clear keeps the pinned records", async () => {
    await dev.request("/echo/1/body", { method: "POST", body: "x" });
    const { requests } = json<{ requests: Summary[] }>((await api("requests")).body);
    const pinned = requests[0]!.id;
    assert.equal(json<Summary>((await api(`requests/${pinned}/pin`, { method: "POST", body: '{"pinned":true}' })).body).pinned, true);
    assert.equal((await api("requests", { method: "DELETE" })).status, 200);
    const left = json<{ requests: Summary[] }>((await api("requests")).body).requests;
    assert.deepEqual(left.map((r) => r.id), [pinned]);
  });

  test("?q= filters the list by text in the bodies, with the page's filter language; secrets never match", async () => {
    await dev.request("/echo/5/body", { method: "POST", headers: { "content-type": "application/json" }, body: '{"event":"needle-7f3"}' });
    await dev.request("/echo/6/body", { method: "POST", headers: { "content-type": "application/json" }, body: '{"event":"other"}' });
    await dev.request("/leak");
    const list = async (query: string) => json<{ requests: Summary[] }>((await api(`requests?${query}`)).body).requests.map((r) => r.target);
    assert.deepEqual(await list("q=needle-7f3"), ["/echo/5/body"], "text only in one request body");
    assert.deepEqual(await list(`q=${encodeURIComponent("body:needle-7f3 method:post status:2xx endpoint:echo")}`), ["/echo/5/body"]);
    assert.deepEqual(await list(`q=${encodeURIComponent('"bodyLength":22')}`), ["/echo/5/body"], "text in the response body");
    assert.ok(!(await list("q=-needle-7f3")).includes("/echo/5/body"));
    assert.deepEqual(await list(`q=${encodeURIComponent(SECRET)}`), [], "a secret's value is masked before matching");
    assert.deepEqual(await list(`q=${encodeURIComponent(SECRET.slice(0, 10))}`), []);
    assert.deepEqual(await list(`q=${encodeURIComponent("key=****")}`), ["/leak"]);
    const all = json<{ requests: Summary[] }>((await api("requests")).body).requests;
    const ids = all.filter((r) => r.target.startsWith("/echo/")).map((r) => r.id);
    assert.deepEqual(await list(`q=needle-7f3&ids=${ids.join(",")}`), ["/echo/5/body"], "ids= checks only those records");
    assert.deepEqual(await list(`q=post&limit=1`), [all.find((r) => r.method === "POST")!.target], "limit= keeps the newest matches");
  });

  test("secrets never appear: not in the response body, the logs, or the exports", async () => {
    await dev.request("/leak");
    const { requests } = json<{ requests: Summary[] }>((await api("requests")).body);
    const leak = requests.find((r) => r.target === "/leak")!;
    const record = (await api(`requests/${leak.id}`)).body;
    assert.doesNotMatch(record, new RegExp(SECRET));
    assert.doesNotMatch(Buffer.from(json<{ response: { body: string } }>(record).response.body, "base64").toString(), new RegExp(SECRET));
    assert.match(record, /key is \*\*\*\*/);
    assert.doesNotMatch((await api(`requests/${leak.id}/export?format=har`)).body, new RegExp(SECRET));
    const session = (await api("session")).body;
    assert.doesNotMatch(session, new RegExp(SECRET));
    assert.match(session, /"name":"api_key","secret":true,"value":"\*\*\*\*"/);
  });
});

describe("inspector safety", () => {
  test("a tunnel's Host (--allow-host) reaches the plugin's routing, not the inspector", async () => {
    const answer = await dev.request("/_endpoint-kit/api/requests", { headers: { host: "tunnel.example" } });
    assert.equal(answer.status, 404);
    assert.doesNotMatch(answer.body, /"requests"/);
    const page = await dev.request("/_endpoint-kit/", { headers: { host: "tunnel.example" } });
    assert.doesNotMatch(page.body, /<script/);
  });

  test("an unknown Host is refused as before; localhost and [::1] names reach the inspector", async () => {
    assert.equal((await dev.request("/_endpoint-kit/api/requests", { headers: { host: "evil.example" } })).status, 403);
    assert.equal((await dev.request("/_endpoint-kit/api/requests", { headers: { host: `localhost:${dev.port}` } })).status, 200);
    assert.equal((await dev.request("/_endpoint-kit/api/requests", { headers: { host: `[::1]:${dev.port}` } })).status, 200);
  });

  test("a cross-site page can neither read, replay nor clear", async () => {
    const before = json<{ requests: Summary[] }>((await api("requests")).body).requests;
    const id = before[0]!.id;
    const cross = [{ origin: "https://evil.example" }, { origin: "http://127.0.0.1:1" }, { "sec-fetch-site": "cross-site" }, { origin: "null" }];
    for (const headers of cross) {
      assert.equal((await api("requests", { headers })).status, 403, JSON.stringify(headers));
      assert.equal((await api(`requests/${id}`, { headers })).status, 403);
      assert.equal((await api(`requests/${id}/replay`, { method: "POST", headers })).status, 403);
      assert.equal((await api("requests", { method: "DELETE", headers })).status, 403);
      assert.equal((await api("events", { headers })).status, 403);
    }
    const after = json<{ requests: Summary[] }>((await api("requests")).body).requests;
    assert.deepEqual(after.map((r) => r.id), before.map((r) => r.id), "nothing replayed, nothing cleared");
    assert.equal((await api("requests", { headers: { origin: `http://127.0.0.1:${dev.port}`, "sec-fetch-site": "same-origin" } })).status, 200);
  });

  test("/e/<hook_id>/_endpoint-kit/... stays the plugin's", async () => {
    const answer = await dev.request(`/e/${dev.hookId}/_endpoint-kit/api/requests`);
    assert.equal(answer.status, 404);
    assert.doesNotMatch(answer.body, /"requests"/);
  });
});

test("--no-inspect: no page, no API, the path goes to the plugin's routing", async () => {
  const off = await startDev(plugin.dir, ["--no-inspect"]);
  try {
    assert.doesNotMatch(off.stdout(), /_endpoint-kit/);
    const answer = await off.request("/_endpoint-kit/api/requests");
    assert.equal(answer.status, 404);
    assert.doesNotMatch(answer.body, /"requests"/);
  } finally {
    await off.stop();
  }
});

test("a plugin rule that would match /_endpoint-kit/ gets a warning; it still serves through /e/<hook_id>/", async () => {
  const catchAll = await createDevPlugin({ fixture: "http", endpoints: [{ name: "all", path: "/<path:rest>", method: "GET", source: "endpoints/echo.ts" }] });
  const served = await startDev(catchAll.dir);
  try {
    assert.match(served.output(), /endpoints\/all\.yaml: its path matches \/_endpoint-kit\/, which dev reserves for the request inspector/);
    assert.match((await served.request("/_endpoint-kit/api/requests")).body, /"requests"/);
    const plugin = await served.request(`/e/${served.hookId}/_endpoint-kit/api/requests`);
    assert.equal(plugin.status, 200);
    assert.match(plugin.body, /"values":\{"rest":"_endpoint-kit\/api\/requests"\}/);
  } finally {
    await served.stop();
    await catchAll.remove();
  }
});
