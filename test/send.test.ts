/**
 * End to end: `endpoint-kit send` against test plugins whose endpoints verify each provider's
 * signature the way the provider's own SDK does (test/fixtures/send/ts for every provider, and
 * test/fixtures/send/python for Slack, WeCom, LINE and Discord). Each event must be accepted, and
 * rejected once `--tamper` changes one body byte (where the provider signs the body).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";
import { startDev, type DevProcess } from "./helpers/spawn-dev.js";
import { findPython } from "./dev-python-harness.js";

const TS = join(REPO_ROOT, "test", "fixtures", "send", "ts");
const PY = join(REPO_ROOT, "test", "fixtures", "send", "python");

/** event, path, what the answer must show, whether a tampered body must be refused. */
const TS_CASES: [string, string, RegExp, boolean][] = [
  ["slack.url_verification", "/slack", /\{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"\}/, true],
  ["slack.app_mention", "/slack", /"event":"app_mention"/, true],
  ["slack.message", "/slack", /"event":"message"/, true],
  ["slack.slash_command", "/slack", /"command":"\/webhook-collect"/, true],
  ["slack.block_actions", "/slack", /"payload":"block_actions"/, true],
  ["github.ping", "/github", /"event":"ping"/, true],
  ["github.push", "/github", /"event":"push"/, true],
  ["github.issues", "/github", /"event":"issues"/, true],
  ["stripe.payment_intent.succeeded", "/stripe", /"type":"payment_intent.succeeded"/, true],
  ["stripe.checkout.session.completed", "/stripe", /"type":"checkout.session.completed"/, true],
  ["standard-webhooks.event", "/standard", /^$/, true],
  ["standard-webhooks.svix", "/standard", /^$/, true],
  ["line.message", "/line", /"events":\["message"\]/, true],
  ["line.verify", "/line", /"events":\[\]/, true],
  ["whatsapp.verification", "/whatsapp", /^\d+$/m, false],
  ["whatsapp.message", "/whatsapp", /"text":"Does it come in another color\?"/, true],
  ["discord.ping", "/discord", /^\{"type":1\}$/m, true],
  ["discord.application_command", "/discord", /ran \/test/, true],
  ["telegram.message", "/telegram", /"text":"\/start"/, false],
  ["wechat.verification", "/wechat", /^\d+$/m, false],
  ["wechat.text", "/wechat", /echo:this is a test/, false],
  ["wechat.text_safe", "/wechat", /the reply's signature checks\n<xml>.*echo:this is a test/, true],
  ["wecom.verification", "/wecom", /^\d+$/m, false],
  ["wecom.text", "/wecom", /the reply's signature checks\n\{"msgtype":"stream".*echo:@RobotA hello robot/, true],
  ["wecom.text_xml", "/wecom", /the reply's signature checks\n<xml>.*echo:hello/, true],
  ["lark.url_verification", "/lark", /"challenge":"[0-9a-f]{32}"/, true],
  ["lark.im.message.receive_v1", "/lark", /"event_type":"im.message.receive_v1"/, true],
  ["dingtalk.message", "/dingtalk", /echo: hello world!/, false],
];

async function send(dev: DevProcess, dir: string, settings: string, args: string[]) {
  return runCliCaptured(["send", ...args, "--dir", dir, "--settings", settings, "--url", `http://127.0.0.1:${dev.port}`], { cwd: REPO_ROOT });
}

describe("send to a TypeScript plugin that verifies every provider as its SDK does", () => {
  let dev: DevProcess;
  const settings = join(TS, "send-settings.yaml");
  before(async () => {
    dev = await startDev(TS, ["--settings", settings]);
  });
  after(async () => {
    await dev?.stop();
  });

  for (const [event, path, shows, tamperRefused] of TS_CASES) {
    test(`${event}: accepted${tamperRefused ? "; refused with one body byte changed" : ""}`, async () => {
      const ok = await send(dev, TS, settings, [event, path]);
      assert.equal(ok.code, 0, `${ok.stderr}\n${ok.stdout}`);
      assert.match(ok.stdout, shows);
      if (/verification/.test(event) || event === "lark.url_verification") assert.match(ok.stderr, /handshake: the answer carries what the provider expects/);
      if (!tamperRefused) return;
      const bad = await send(dev, TS, settings, [event, path, "--tamper"]);
      assert.equal(bad.code, 1, `${bad.stderr}\n${bad.stdout}`);
      assert.match(bad.stderr, /<- (400|401|403) /);
    });
  }

  test("--stale dates requests past the window of the providers that have one, and their SDKs refuse them", async () => {
    for (const [event, path] of [["slack.message", "/slack"], ["stripe.payment_intent.succeeded", "/stripe"], ["standard-webhooks.event", "/standard"], ["dingtalk.message", "/dingtalk"]] as const) {
      const stale = await send(dev, TS, settings, [event, path, "--stale"]);
      assert.equal(stale.code, 1, `${event}: ${stale.stderr}`);
      assert.match(stale.stderr, /stale: dated \d+ s back[\s\S]*<- 401 /);
    }
    const line = await send(dev, TS, settings, ["line.message", "/line", "--stale"]);
    assert.equal(line.code, 0);
    assert.match(line.stderr, /LINE signs no timestamp window/);
  });

  test("the inspector's replay signs a stale Slack request afresh, so the plugin accepts it again", async () => {
    const stale = await send(dev, TS, settings, ["slack.message", "/slack", "--stale"]);
    assert.equal(stale.code, 1, stale.stderr);
    const api = `http://127.0.0.1:${dev.port}/_endpoint-kit/api`;
    const list = (await (await fetch(`${api}/requests`)).json()) as { requests: Array<{ id: number; status?: number; endpoint?: string }> };
    // Newest first: the stale request just sent.
    const record = list.requests.find((r) => r.status === 401 && r.endpoint === "endpoints/slack.yaml");
    assert.ok(record, JSON.stringify(list.requests.slice(-3)));
    const replay = async (body: object) => (await (await fetch(`${api}/requests/${record.id}/replay`, { method: "POST", body: JSON.stringify(body) })).json()) as { status: number; signing: { signed: boolean; provider?: string; reason?: string } };
    const asCaptured = await replay({ resign: false });
    assert.equal(asCaptured.status, 401);
    assert.equal(asCaptured.signing.signed, false);
    const resigned = await replay({});
    assert.equal(resigned.status, 200, JSON.stringify(resigned));
    assert.deepEqual(resigned.signing, { signed: true, provider: "slack" });
  });

  test("a fixture's sign: block is signed afresh by endpoint-kit test on every run; without it the same request is refused", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ek-sign-"));
    try {
      const request = `request:\n  method: POST\n  path: /slack\n  headers:\n    Content-Type: application/json\n    X-Slack-Request-Timestamp: "1531420618"\n    X-Slack-Signature: v0=stale\n  body: '{"type":"event_callback","event":{"type":"app_mention"}}'\n`;
      await writeFile(join(dir, "signed.yaml"), `name: signed afresh\n${request}sign:\n  provider: slack\n  setting: slack_signing_secret\nexpect:\n  status: 200\n  body:\n    json: {ok: true, event: app_mention}\n`);
      const signed = await runCliCaptured(["test", TS, "--fixtures", dir, "--settings", settings], { cwd: REPO_ROOT });
      assert.equal(signed.code, 0, `${signed.stdout}\n${signed.stderr}`);
      await writeFile(join(dir, "signed.yaml"), `name: as written\n${request}expect:\n  status: 200\n`);
      const unsigned = await runCliCaptured(["test", TS, "--fixtures", dir, "--settings", settings], { cwd: REPO_ROOT });
      assert.equal(unsigned.code, 1, `${unsigned.stdout}\n${unsigned.stderr}`);
      assert.match(unsigned.stdout, /401/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("lark without an Encrypt Key: plain JSON, no signature, and the plugin accepts it", async () => {
    const plain = join(await mkdtemp(join(tmpdir(), "ek-send-")), "settings.yaml");
    try {
      await writeFile(plain, (await readFile(settings, "utf8")).replace(/lark_encrypt_key: .*/, 'lark_encrypt_key: ""'));
      const result = await runCliCaptured(["send", "lark.im.message.receive_v1", "/lark", "--dir", TS, "--settings", plain, "--dry-run"], { cwd: REPO_ROOT });
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stdout, /x-lark-signature|"encrypt"/);
      assert.match(result.stdout, /"schema":"2.0"/);
    } finally {
      await rm(join(plain, ".."), { recursive: true, force: true });
    }
  });

  test("--set edits the sample, a wrong --secret is refused by the plugin, and Discord warns about another public key", async () => {
    const retry = await runCliCaptured(["send", "slack.message", "/slack", "--secret", "s", "-H", "X-Slack-Retry-Num: 1", "-H", "X-Slack-Retry-Reason: http_timeout", "--dry-run"], { cwd: REPO_ROOT });
    assert.match(retry.stdout, /x-slack-retry-num: 1\nx-slack-retry-reason: http_timeout/);
    const edited = await send(dev, TS, settings, ["line.message", "/line", "--set", "events.0.type=follow"]);
    assert.match(edited.stdout, /"events":\["follow"\]/);
    const wrong = await send(dev, TS, settings, ["github.push", "/github", "--secret", "not the secret"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /webhook_secret: from --secret/);
    const seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    const other = await send(dev, TS, settings, ["discord.ping", "/discord", "--secret", seed]);
    assert.match(other.stderr, /public key is 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c/);
    assert.match(other.stderr, /setting "discord_public_key" holds another public key/);
    assert.equal(other.code, 1);
  });
});

describe("send in-process (no server)", () => {
  test("a handshake answered by the plugin itself", async () => {
    const result = await runCliCaptured(["send", "slack.url_verification", "/slack", "--dir", TS, "--settings", join(TS, "send-settings.yaml"), "-i"], { cwd: REPO_ROOT });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /\(in-process\)/);
    assert.match(result.stdout, /^HTTP\/1.1 200 OK\n(.+\n)*content-type: application\/json\n/);
    assert.match(result.stdout, /"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"/);
  });
});

const PYTHON = findPython();
const hasCrypto = PYTHON !== undefined && spawnSync(PYTHON, ["-c", "import cryptography"], { stdio: "ignore" }).status === 0;

describe("send to a Python plugin that verifies Slack, WeCom, LINE and Discord as their SDKs do", { skip: hasCrypto ? false : "needs a python3 with werkzeug and cryptography (python3-werkzeug, python3-cryptography)" }, () => {
  let dev: DevProcess;
  const settings = join(PY, "send-settings.yaml");
  before(async () => {
    dev = await startDev(PY, ["--settings", settings, "--python", PYTHON!]);
  });
  after(async () => {
    await dev?.stop();
  });
  const cases: [string, string, RegExp, boolean][] = [
    ["slack.url_verification", "/slack", /"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"/, true],
    ["slack.app_mention", "/slack", /"event": "app_mention"/, true],
    ["slack.slash_command", "/slack", /"command": "\/webhook-collect"/, true],
    ["line.message", "/line", /"events": \["message"\]/, true],
    ["discord.ping", "/discord", /^\{"type": 1\}$/m, true],
    ["discord.application_command", "/discord", /ran \/test/, true],
    ["wecom.verification", "/wecom", /^\d+$/m, false],
    ["wecom.text", "/wecom", /the reply's signature checks\n.*echo:@RobotA hello robot/, true],
    ["wecom.text_xml", "/wecom", /the reply's signature checks\n.*echo:hello/, true],
  ];
  for (const [event, path, shows, tamperRefused] of cases) {
    test(`${event}: accepted${tamperRefused ? "; refused with one body byte changed" : ""}`, async () => {
      const ok = await send(dev, PY, settings, [event, path]);
      assert.equal(ok.code, 0, `${ok.stderr}\n${ok.stdout}\n${dev.output()}`);
      assert.match(ok.stdout, shows);
      if (!tamperRefused) return;
      const bad = await send(dev, PY, settings, [event, path, "--tamper"]);
      assert.equal(bad.code, 1, `${bad.stderr}\n${bad.stdout}`);
      assert.match(bad.stderr, /<- (400|401) /);
    });
  }
});
