/**
 * `send` against the corpus's real plugin layouts finds each key in the setting that holds it, by
 * name (WhatsApp's verify_token, WeCom's token and encoding_aes_key, LINE's channel_secret, WeChat's
 * wechat_token/encoding_aes_key/app_id, the older WeCom's receive_id), and the request it would send
 * passes the documented verifiers with those values. Also the usage errors and `--list`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";
import * as verifiers from "./helpers/provider-verifiers.js";
import type { ProviderRequest } from "../src/providers/types.js";
import { targetUrl } from "../src/commands/send-deliver.js";

const CORPUS = join(REPO_ROOT, "..", "shared", "corpus", "dify");
const AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

/** Runs `send --dry-run` with a settings file holding `values`, and parses the request it prints. */
async function dryRun(plugin: string, values: Record<string, string>, args: string[]): Promise<{ stderr: string; request: ProviderRequest }> {
  const dir = await mkdtemp(join(tmpdir(), "ek-send-corpus-"));
  try {
    const settings = join(dir, "settings.yaml");
    await writeFile(settings, Object.entries(values).map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`).join(""));
    const result = await runCliCaptured(["send", ...args, "--dir", join(CORPUS, plugin), "--settings", settings, "--dry-run"], { cwd: REPO_ROOT });
    assert.equal(result.code, 0, result.stderr);
    const [head = "", body = ""] = result.stdout.split(/\n\n/, 2).length === 2 ? [result.stdout.slice(0, result.stdout.indexOf("\n\n")), result.stdout.slice(result.stdout.indexOf("\n\n") + 2, -1)] : [result.stdout, ""];
    const [requestLine = "", ...headerLines] = head.split("\n");
    const [method, url = ""] = requestLine.split(" ");
    const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
    return { stderr: result.stderr, request: { method: method as "GET" | "POST", query: url.split("?")[1] ?? "", headers, body: Buffer.from(body) } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("WhatsApp: verify_token comes from the setting of that name", async () => {
  const { stderr, request } = await dryRun("official__whatsapp-bot", { verify_token: "meatyhamhock", access_token: "EAAG", phone_number_id: "1" }, ["whatsapp.verification", "/webhooks/whatsapp"]);
  assert.match(stderr, /verify_token: from setting "verify_token"/);
  assert.equal(verifiers.verifyMeta(request, { verify_token: "meatyhamhock" }).problem, null);
});

test("WeCom AI bot: token and encoding_aes_key from their settings; the receive id stays empty", async () => {
  const { stderr, request } = await dryRun("official__wecom_bot", { token: "QDG6eK", encoding_aes_key: AES }, ["wecom.text", "/"]);
  assert.match(stderr, /token: from setting "token"\n {2}encoding_aes_key: from setting "encoding_aes_key"\n {2}receive_id: none/);
  const verdict = verifiers.verifyWecom(request, { token: "QDG6eK", encoding_aes_key: AES });
  assert.equal(verdict.problem, null);
  assert.match(verdict.plaintext ?? "", /"msgtype":"text"/);
});

test("the older WeCom plugin: receive_id is found and encrypted into the message", async () => {
  const { stderr, request } = await dryRun("_historical__official__wecom_bot__30f453a3", { token: "QDG6eK", encoding_aes_key: AES, receive_id: "ww1436e0e65a779aee", corp_id: "ww1436e0e65a779aee" }, ["wecom.verification", "/"]);
  assert.match(stderr, /receive_id: from setting "receive_id"/);
  assert.equal(verifiers.verifyWecom(request, { token: "QDG6eK", encoding_aes_key: AES, receive_id: "ww1436e0e65a779aee" }).problem, null);
  assert.match(request.query, /echostr=[^&]*%[23][BDF]/i, "base64 in the query is percent-encoded");
});

test("LINE: channel_secret, not channel_access_token", async () => {
  const { stderr, request } = await dryRun("ext__kevintsai1202__difyplugin", { channel_secret: "channel_secret", channel_access_token: "tok", dify_api_key: "k" }, ["line.message", "/"]);
  assert.match(stderr, /channel_secret: from setting "channel_secret"/);
  assert.equal(verifiers.verifyLine(request, "channel_secret").problem, null);
});

test("WeChat: wechat_token, encoding_aes_key and app_id for safe mode", async () => {
  const key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  const { stderr, request } = await dryRun("ext__bikeread__dify_wechat_plugin", { wechat_token: "pamtest", encoding_aes_key: key, app_id: "wxb11529c136998cb6", app_secret: "s" }, ["wechat.text_safe", "/wechat/input"]);
  assert.match(stderr, /token: from setting "wechat_token"\n {2}encoding_aes_key: from setting "encoding_aes_key"\n {2}app_id: from setting "app_id"/);
  assert.equal(verifiers.verifyWechat(request, { token: "pamtest", encoding_aes_key: key, app_id: "wxb11529c136998cb6" }).problem, null);
});

test("Discord: the webhook plugin's signature_verification_key is compared with the signing key", async () => {
  const { stderr } = await dryRun("ext__perzeuss__dify-plugin-webhook", { signature_verification_key: "00".repeat(32), middleware: "discord" }, ["discord.ping", "/single-workflow"]);
  assert.match(stderr, /setting "signature_verification_key" holds another public key; put d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a there/);
});

test("a key no setting holds is an error that names what was looked for and how to give it", async () => {
  const result = await runCliCaptured(["send", "slack.app_mention", "/", "--dir", join(CORPUS, "official__slack_bot"), "--dry-run"], { cwd: REPO_ROOT });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /slack.app_mention needs signing_secret/);
  assert.match(result.stderr, /signing_secret, slack_signing_secret, slack_secret \(it has bot_token, allow_retry, app\); give it with --secret <value>/);
  const given = await runCliCaptured(["send", "slack.app_mention", "/", "--dir", join(CORPUS, "official__slack_bot"), "--dry-run", "--secret", "s"], { cwd: REPO_ROOT });
  assert.equal(given.code, 0, given.stderr);
});

test("usage errors: unknown provider or event, --secret-setting naming no setting; --list names every provider", async () => {
  const unknown = await runCliCaptured(["send", "slak.app_mention", "/", "--dry-run"], { cwd: REPO_ROOT });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown provider "slak"/);
  const event = await runCliCaptured(["send", "github.pull", "/", "--dry-run"], { cwd: REPO_ROOT });
  assert.match(event.stderr, /github has no event "pull"[\s\S]*github.ping, github.push, github.issues/);
  const setting = await runCliCaptured(["send", "line.message", "/", "--dir", join(CORPUS, "ext__kevintsai1202__difyplugin"), "--secret-setting", "nope", "--dry-run"], { cwd: REPO_ROOT });
  assert.equal(setting.code, 2);
  assert.match(setting.stderr, /--secret-setting nope: the plugin declares no such setting/);
  const list = await runCliCaptured(["send", "--list"], { cwd: REPO_ROOT });
  for (const name of ["slack", "github", "stripe", "standard-webhooks", "line", "whatsapp", "discord", "telegram", "wechat", "wecom", "lark", "dingtalk"]) assert.match(list.stdout, new RegExp(`^${name} `, "m"));
  assert.match(list.stdout, /lark\.im\.message\.receive_v1/);
});

test("--url takes an origin (the hook id is the one dev derives) or a base that already names the hook", () => {
  assert.equal(targetUrl("http://127.0.0.1:5002", "abcdefghijklmnop", "/slack?x=1"), "http://127.0.0.1:5002/e/abcdefghijklmnop/slack?x=1");
  assert.equal(targetUrl("http://127.0.0.1:5002/e/myhook/", "abcdefghijklmnop", "slack"), "http://127.0.0.1:5002/e/myhook/slack");
  assert.equal(targetUrl("https://example.com", undefined, "/hook"), "https://example.com/hook");
});
