/**
 * Re-signing as the fixture runner and the inspector call it: the `sign:` fixture extension (parse a
 * YAML node, prepare a request with the case's settings) and replay of captured requests.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { parseYamlMapping } from "../src/manifest/yaml.js";
import { buildRequest, findEvent } from "../src/providers/index.js";
import { resignForReplay, signFixtureExtension, type FetchShapedRequest } from "../src/providers/replay-sign.js";
import type { ProviderRequest } from "../src/providers/types.js";
import * as verifiers from "./helpers/provider-verifiers.js";

const AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const hoursAgo = (h: number) => ({ now: Date.now() - h * 3_600_000, randomBytes: (n: number) => randomBytes(n) });

function captured(spec: string, keys: Record<string, string>, path = "/hook"): FetchShapedRequest {
  const found = findEvent(spec);
  if ("error" in found) throw new Error(found.error);
  const r = buildRequest(found.event, keys, { sets: [] }, hoursAgo(2));
  return { method: r.method, path: r.query ? `${path}?${r.query}` : path, headers: new Headers(r.headers), body: r.body };
}

function plain(r: FetchShapedRequest): ProviderRequest {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => (headers[k] = v));
  return { method: r.method as "GET" | "POST", query: r.path.split("?")[1] ?? "", headers, body: r.body ?? new Uint8Array(0) };
}

function signNode(yaml: string) {
  const parsed = parseYamlMapping(yaml);
  assert.ok(parsed.ok);
  return parsed.root.pairs.find((p) => p.key === "sign")!.value;
}

test("sign: a stale Slack fixture is signed afresh from the setting the block names", () => {
  const parsed = signFixtureExtension.parse(signNode("sign:\n  provider: slack\n  setting: slack_signing_secret\n"));
  assert.ok(parsed.ok);
  const stale = captured("slack.app_mention", { signing_secret: "s3cret" });
  assert.notEqual(verifiers.verifySlack(plain(stale), "s3cret").problem, null);
  const fresh = signFixtureExtension.prepare(stale, parsed.value, { settings: { slack_signing_secret: "s3cret" } });
  assert.equal(verifiers.verifySlack(plain(fresh), "s3cret").problem, null);
  assert.equal(fresh.path, "/hook");
});

test("sign: WeCom keeps its ciphertext and query order; only timestamp, nonce and msg_signature change", () => {
  const parsed = signFixtureExtension.parse(signNode("sign: {provider: wecom}\n"));
  assert.ok(parsed.ok);
  const request = captured("wecom.text", { token: "QDG6eK", encoding_aes_key: AES }, "/wecom");
  const fresh = signFixtureExtension.prepare(request, parsed.value, { settings: { token: "QDG6eK", encoding_aes_key: AES } });
  assert.match(fresh.path, /^\/wecom\?msg_signature=[0-9a-f]{40}&timestamp=\d+&nonce=\d+$/);
  assert.deepEqual(fresh.body, request.body);
  assert.equal(verifiers.verifyWecom(plain(fresh), { token: "QDG6eK", encoding_aes_key: AES }).problem, null);
});

test("sign: problems point at the block; a key no setting holds is an error at run time", () => {
  const node = signNode("name: x\nsign:\n  provider: slak\n");
  const parsed = signFixtureExtension.parse(node);
  assert.ok(!parsed.ok);
  assert.deepEqual(parsed.problems.map((p) => [p.message, p.start, p.end]), [['sign.provider "slak" is not known (slack, github, stripe, standard-webhooks, line, whatsapp, discord, telegram, wechat, wecom, lark, dingtalk)', node.start, node.end]]);
  const ok = signFixtureExtension.parse(signNode("sign: {provider: stripe}\n"));
  assert.ok(ok.ok);
  assert.throws(() => signFixtureExtension.prepare(captured("stripe.payment_intent.succeeded", { webhook_secret: "whsec_x" }), ok.value, { settings: { api_key: "k" } }), /sign: stripe needs webhook_secret/);
});

test("replay: a recognised scheme is re-signed with keys found by setting name, or says why not", () => {
  const stripe = captured("stripe.payment_intent.succeeded", { webhook_secret: "whsec_abc" });
  assert.equal(verifiers.verifyStripe(plain(stripe), "whsec_abc").problem, "too old");
  const replay = resignForReplay(stripe, { stripe_webhook_secret: "whsec_abc" });
  assert.ok(replay.signed);
  assert.equal(replay.provider, "stripe");
  assert.equal(verifiers.verifyStripe(plain(replay.request), "whsec_abc").problem, null);
  const meta = resignForReplay(captured("whatsapp.message", { app_secret: "a" }), { app_secret: "a" });
  assert.ok(meta.signed, "a Meta POST needs only the app secret");
  assert.deepEqual(resignForReplay(captured("line.message", { channel_secret: "c" }), { channel_access_token: "t" }), { signed: false, reason: "LINE request, but no setting holds channel_secret" });
  assert.deepEqual(resignForReplay({ method: "GET", path: "/x", headers: new Headers() }, {}), { signed: false, reason: "no known provider signature on this request" });
});
