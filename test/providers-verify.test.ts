/**
 * Every event of every provider, built with `Date.now()` and real randomness, is accepted by an
 * independent verifier written from the provider's documentation (test/helpers/provider-verifiers.ts),
 * and rejected once one byte of the body changes where the provider signs the body. Also: reading
 * encrypted replies, re-signing, `sign:` blocks and finding keys in the corpus plugins' settings.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { buildRequest, PROVIDERS, findEvent, missingKeys } from "../src/providers/index.js";
import { detectProvider, parseSignBlock, resign, signWithBlock } from "../src/providers/resign.js";
import { wxEncrypt, wxSignature, larkEncrypt } from "../src/providers/crypto.js";
import type { Keys, ProviderRequest } from "../src/providers/types.js";
import * as verifiers from "./helpers/provider-verifiers.js";
import type { Verdict } from "./helpers/provider-verifiers.js";

const live = () => ({ now: Date.now(), randomBytes: (n: number) => randomBytes(n) });
const AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

/** Keys to sign with, and the verifier with its view of them, per provider. */
const CASES: Record<string, { keys: Keys; verify: (r: ProviderRequest) => Verdict; bodySigned: boolean }> = {
  slack: { keys: { signing_secret: "8f742231b10e8888abcd99yyyzzz85a5" }, verify: (r) => verifiers.verifySlack(r, "8f742231b10e8888abcd99yyyzzz85a5"), bodySigned: true },
  github: { keys: { webhook_secret: "It's a Secret to Everybody" }, verify: (r) => verifiers.verifyGithub(r, "It's a Secret to Everybody"), bodySigned: true },
  stripe: { keys: { webhook_secret: "whsec_test_secret" }, verify: (r) => verifiers.verifyStripe(r, "whsec_test_secret"), bodySigned: true },
  "standard-webhooks": { keys: { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }, verify: (r) => verifiers.verifyStandard(r, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), bodySigned: true },
  line: { keys: { channel_secret: "channel_secret" }, verify: (r) => verifiers.verifyLine(r, "channel_secret"), bodySigned: true },
  whatsapp: { keys: { verify_token: "meatyhamhock", app_secret: "test_app_secret" }, verify: (r) => verifiers.verifyMeta(r, { verify_token: "meatyhamhock", app_secret: "test_app_secret" }), bodySigned: true },
  discord: { keys: {}, verify: (r) => verifiers.verifyDiscord(r, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), bodySigned: true },
  telegram: { keys: { secret_token: "my-secret_token" }, verify: (r) => verifiers.verifyTelegram(r, "my-secret_token"), bodySigned: false },
  wechat: { keys: { token: "pamtest", encoding_aes_key: AES, app_id: "wxb11529c136998cb6" }, verify: (r) => verifiers.verifyWechat(r, { token: "pamtest", encoding_aes_key: AES, app_id: "wxb11529c136998cb6" }), bodySigned: false },
  wecom: { keys: { token: "QDG6eK", encoding_aes_key: AES }, verify: (r) => verifiers.verifyWecom(r, { token: "QDG6eK", encoding_aes_key: AES }), bodySigned: true },
  lark: { keys: { encrypt_key: "test key", verification_token: "vt" }, verify: (r) => verifiers.verifyLark(r, { encrypt_key: "test key" }), bodySigned: true },
  dingtalk: { keys: { app_secret: "this is secret" }, verify: (r) => verifiers.verifyDingtalk(r, "this is secret"), bodySigned: false },
};

function eventOf(spec: string) {
  const found = findEvent(spec);
  if ("error" in found) throw new Error(found.error);
  return found.event;
}

function flipBodyByte(r: ProviderRequest): ProviderRequest {
  const copy = Buffer.from(r.body);
  const i = Math.floor(copy.length / 2);
  copy[i] = copy[i] === 0x41 ? 0x42 : 0x41;
  return { ...r, body: copy };
}

for (const provider of PROVIDERS) {
  for (const event of provider.events) {
    test(`${provider.name}.${event.name}: accepted by the documented verifier; one changed body byte is rejected`, () => {
      const c = CASES[provider.name]!;
      assert.deepEqual(missingKeys(provider, event, c.keys), []);
      const request = buildRequest(event, c.keys, { sets: [] }, live());
      assert.equal(c.verify(request).problem, null);
      // Handshakes: what the provider expects back is what the verifier reads out of the request.
      if (request.expect !== undefined) assert.ok((c.verify(request).plaintext ?? Buffer.from(request.body).toString()).includes(request.expect));
      if (c.bodySigned && request.body.length > 0 && !(provider.name === "lark" && event.name === "url_verification")) {
        assert.notEqual(c.verify(flipBodyByte(request)).problem, null);
      }
      // A stale capture re-signed now is accepted again; the provider is recognised from the request.
      const stale = buildRequest(event, c.keys, { sets: [] }, { now: Date.now() - 3 * 3_600_000, randomBytes });
      assert.equal(c.verify(resign(stale, provider, c.keys, live())).problem, null);
      if (!(provider.name === "lark" && event.name === "url_verification") && !(provider.name === "telegram")) {
        assert.equal(detectProvider(request)?.name, provider.name);
      }
    });
  }
}

test("Lark without an Encrypt Key sends plain, unsigned JSON; wrong keys are rejected", () => {
  const found = findEvent("lark.im.message.receive_v1");
  assert.ok(!("error" in found));
  const request = buildRequest(found.event, {}, { sets: ["event.message.content={\"text\":\"hi\"}"] }, live());
  const json = JSON.parse(Buffer.from(request.body).toString()) as { event: { message: { content: string } } };
  assert.equal(json.event.message.content, '{"text":"hi"}');
  assert.equal(request.headers["x-lark-signature"], undefined);
  assert.notEqual(CASES.slack!.verify(buildRequest(eventOf("slack.message"), { signing_secret: "wrong" }, { sets: [] }, live())).problem, null);
});

test("replies: WeCom JSON, WeChat XML and Lark encrypted replies are decrypted and their signatures checked", () => {
  const wecom = PROVIDERS.find((p) => p.name === "wecom")!;
  const encrypt = wxEncrypt(AES, randomBytes(16), '{"msgtype":"stream","stream":{"id":"s1","finish":true,"content":"hi"}}', "");
  const reply = JSON.stringify({ encrypt, msgsignature: wxSignature("QDG6eK", "1700000000", "42", encrypt), timestamp: 1700000000, nonce: "42" });
  const reading = wecom.readReply!(Buffer.from(reply), { token: "QDG6eK", encoding_aes_key: AES });
  assert.deepEqual(reading, { encrypted: true, plaintext: '{"msgtype":"stream","stream":{"id":"s1","finish":true,"content":"hi"}}', signatureValid: true });
  assert.equal(wecom.readReply!(Buffer.from(reply), { token: "other", encoding_aes_key: AES }).signatureValid, false);
  const wechat = PROVIDERS.find((p) => p.name === "wechat")!;
  const xmlEnc = wxEncrypt(AES, randomBytes(16), "<xml><Content><![CDATA[pong]]></Content></xml>", "wxapp");
  const xml = `<xml><Encrypt><![CDATA[${xmlEnc}]]></Encrypt><MsgSignature><![CDATA[${wxSignature("t", "1", "2", xmlEnc)}]]></MsgSignature><TimeStamp>1</TimeStamp><Nonce><![CDATA[2]]></Nonce></xml>`;
  assert.deepEqual(wechat.readReply!(Buffer.from(xml), { token: "t", encoding_aes_key: AES, app_id: "wxapp" }), { encrypted: true, plaintext: "<xml><Content><![CDATA[pong]]></Content></xml>", signatureValid: true });
  assert.match(wechat.readReply!(Buffer.from(xml), { token: "t", encoding_aes_key: AES, app_id: "other" }).problem ?? "", /receive id/);
  assert.deepEqual(wechat.readReply!(Buffer.from("success"), {}), { encrypted: false });
  const lark = PROVIDERS.find((p) => p.name === "lark")!;
  assert.deepEqual(lark.readReply!(Buffer.from(JSON.stringify({ encrypt: larkEncrypt("k", randomBytes(16), '{"challenge":"c"}') })), { encrypt_key: "k" }), { encrypted: true, plaintext: '{"challenge":"c"}' });
});

test("sign: blocks are parsed and resolve keys from the block or the plugin's settings", () => {
  assert.deepEqual(parseSignBlock({ provider: "nope" }), { problems: ['sign.provider "nope" is not known (slack, github, stripe, standard-webhooks, line, whatsapp, discord, telegram, wechat, wecom, lark, dingtalk)'] });
  assert.deepEqual(parseSignBlock({ provider: "line", extra: 1, keys: { nope: "x" } }), { problems: ["sign.extra is not known (provider, secret, setting, keys, settings)", 'line has no key "nope" (channel_secret)'] });
  const parsed = parseSignBlock({ provider: "wecom", settings: { encoding_aes_key: "aes" } });
  assert.ok("block" in parsed);
  const request = buildRequest(eventOf("wecom.text"), { token: "old", encoding_aes_key: AES }, { sets: [] }, live());
  const { request: signed, sources } = signWithBlock(request, parsed.block, { token: "QDG6eK", aes: AES }, live());
  assert.deepEqual(sources.map((s) => `${s.key}:${s.from}:${s.setting ?? ""}`), ["token:setting:token", "encoding_aes_key:setting:aes", "receive_id:missing:"]);
  assert.equal(CASES.wecom!.verify(signed).problem, null);
  const slackBlock = parseSignBlock({ provider: "slack", secret: "s3" });
  assert.ok("block" in slackBlock);
  assert.deepEqual(slackBlock.block.given, { signing_secret: "s3" });
});
