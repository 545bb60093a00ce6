/**
 * Verifiers written from each provider's documentation (and its SDK's verify function), kept apart
 * from the signers in src/providers so that a shared mistake cannot make both agree. Each returns
 * null when the request is accepted, else the reason, plus the decrypted plaintext where there is one.
 */
import { createDecipheriv, createHash, createHmac, createPublicKey, timingSafeEqual, verify } from "node:crypto";
import type { ProviderRequest } from "../../src/providers/types.js";

export interface Verdict {
  problem: string | null;
  plaintext?: string;
}

const ok = (plaintext?: string): Verdict => ({ problem: null, ...(plaintext !== undefined ? { plaintext } : {}) });
const no = (problem: string): Verdict => ({ problem });

function same(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function h(request: ProviderRequest, name: string): string | undefined {
  return Object.entries(request.headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const body = (r: ProviderRequest) => Buffer.from(r.body);

/** python-slack-sdk SignatureVerifier.is_valid */
export function verifySlack(r: ProviderRequest, secret: string): Verdict {
  const ts = h(r, "x-slack-request-timestamp");
  if (!ts || Math.abs(nowSeconds() - Number(ts)) > 300) return no("stale or missing timestamp");
  const expected = "v0=" + createHmac("sha256", secret).update(`v0:${ts}:${body(r).toString("utf8")}`).digest("hex");
  return same(h(r, "x-slack-signature"), expected) ? ok() : no("bad signature");
}

/** @octokit/webhooks-methods verify */
export function verifyGithub(r: ProviderRequest, secret: string): Verdict {
  const expected = "sha256=" + createHmac("sha256", secret).update(body(r)).digest("hex");
  if (!h(r, "x-github-event") || !h(r, "x-github-delivery")) return no("missing event headers");
  return same(h(r, "x-hub-signature-256"), expected) ? ok() : no("bad signature");
}

/** stripe-python WebhookSignature.verify_header */
export function verifyStripe(r: ProviderRequest, secret: string): Verdict {
  const parts = (h(r, "stripe-signature") ?? "").split(",").map((p) => p.split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const v1 = parts.filter(([k]) => k === "v1").map(([, v]) => v ?? "");
  if (!t || v1.length === 0) return no("unparsable header");
  const expected = createHmac("sha256", secret).update(`${t}.${body(r).toString("utf8")}`).digest("hex");
  if (!v1.some((v) => same(v, expected))) return no("bad signature");
  return Number(t) < nowSeconds() - 300 ? no("too old") : ok();
}

/** standard-webhooks Webhook.verify (prefix webhook- or svix-) */
export function verifyStandard(r: ProviderRequest, secret: string): Verdict {
  const prefix = h(r, "svix-id") ? "svix" : "webhook";
  const id = h(r, `${prefix}-id`);
  const ts = h(r, `${prefix}-timestamp`);
  if (!id || !ts) return no("missing headers");
  if (Math.abs(nowSeconds() - Number(ts)) > 300) return no("timestamp out of tolerance");
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${ts}.${body(r).toString("utf8")}`).digest("base64");
  const given = (h(r, `${prefix}-signature`) ?? "").split(" ").map((s) => s.split(","));
  return given.some(([v, sig]) => v === "v1" && same(sig, expected)) ? ok() : no("bad signature");
}

/** line-bot-sdk SignatureValidator.validate */
export function verifyLine(r: ProviderRequest, secret: string): Verdict {
  return same(h(r, "x-line-signature"), createHmac("sha256", secret).update(body(r)).digest("base64")) ? ok() : no("bad signature");
}

/** Meta's docs: GET handshake, or X-Hub-Signature-256 over the raw payload. */
export function verifyMeta(r: ProviderRequest, keys: { verify_token?: string; app_secret?: string }): Verdict {
  if (r.method === "GET") {
    const q = new URLSearchParams(r.query);
    if (q.get("hub.mode") !== "subscribe" || q.get("hub.verify_token") !== keys.verify_token) return no("wrong mode or token");
    return q.get("hub.challenge") ? ok(q.get("hub.challenge")!) : no("no challenge");
  }
  const expected = "sha256=" + createHmac("sha256", keys.app_secret ?? "").update(body(r)).digest("hex");
  return same(h(r, "x-hub-signature-256"), expected) ? ok() : no("bad signature");
}

/** discord-interactions verifyKey */
export function verifyDiscord(r: ProviderRequest, publicKeyHex: string): Verdict {
  const key = createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(publicKeyHex, "hex")]), format: "der", type: "spki" });
  const ts = h(r, "x-signature-timestamp") ?? "";
  const sig = Buffer.from(h(r, "x-signature-ed25519") ?? "", "hex");
  return sig.length === 64 && verify(null, Buffer.concat([Buffer.from(ts), body(r)]), key, sig) ? ok() : no("bad signature");
}

export function verifyTelegram(r: ProviderRequest, token: string): Verdict {
  return same(h(r, "x-telegram-bot-api-secret-token"), token) ? ok() : no("bad secret token");
}

/** DingTalk's doc: |now - timestamp| <= 1 h and sign = base64(HMAC(secret, ts + "\n" + secret)). */
export function verifyDingtalk(r: ProviderRequest, secret: string): Verdict {
  const ts = h(r, "timestamp") ?? "";
  if (Math.abs(Date.now() - Number(ts)) > 3_600_000) return no("timestamp out of range");
  return same(h(r, "sign"), createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64")) ? ok() : no("bad sign");
}

function sha1Sorted(...parts: string[]): string {
  return createHash("sha1").update(parts.sort().join("")).digest("hex");
}

/** WXBizMsgCrypt.decrypt: AES-256-CBC, IV = key[0:16], PKCS#7 with blocks of 32, then random(16) len(4) msg id. */
function wxOpen(encodingAesKey: string, encrypted: string): { msg: string; id: string } {
  const key = Buffer.from(encodingAesKey + "=", "base64");
  const d = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(encrypted, "base64")), d.final()]);
  const pad = plain.at(-1)!;
  if (pad < 1 || pad > 32) throw new Error("padding");
  const content = plain.subarray(16, plain.length - pad);
  const n = content.readUInt32BE(0);
  return { msg: content.subarray(4, 4 + n).toString("utf8"), id: content.subarray(4 + n).toString("utf8") };
}

function cdata(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}><!\\[CDATA\\[([\\s\\S]*?)\\]\\]></${tag}>`).exec(xml)?.[1];
}

/** WeCom callback (JSON or XML, GET or POST): msg_signature, then decrypt and check the receive id. */
export function verifyWecom(r: ProviderRequest, keys: { token: string; encoding_aes_key: string; receive_id?: string }): Verdict {
  const q = new URLSearchParams(r.query);
  const text = body(r).toString("utf8");
  const encrypt = r.method === "GET" ? q.get("echostr") ?? undefined : text.startsWith("{") ? (JSON.parse(text) as { encrypt?: string }).encrypt : cdata(text, "Encrypt");
  if (!encrypt) return no("nothing encrypted");
  if (!same(q.get("msg_signature") ?? undefined, sha1Sorted(keys.token, q.get("timestamp") ?? "", q.get("nonce") ?? "", encrypt))) return no("bad msg_signature");
  try {
    const { msg, id } = wxOpen(keys.encoding_aes_key, encrypt);
    return id === (keys.receive_id ?? "") ? ok(msg) : no(`receive id ${id}`);
  } catch (error) {
    return no(`decrypt failed: ${(error as Error).message}`);
  }
}

/** WeChat Official Account: `signature` always; in safe mode msg_signature, decrypt and the AppID. */
export function verifyWechat(r: ProviderRequest, keys: { token: string; encoding_aes_key?: string; app_id?: string }): Verdict {
  const q = new URLSearchParams(r.query);
  if (!same(q.get("signature") ?? undefined, sha1Sorted(keys.token, q.get("timestamp") ?? "", q.get("nonce") ?? ""))) return no("bad signature");
  if (r.method === "GET") return ok(q.get("echostr") ?? "");
  if (q.get("encrypt_type") !== "aes") return ok(body(r).toString("utf8"));
  const encrypt = cdata(body(r).toString("utf8"), "Encrypt") ?? "";
  if (!same(q.get("msg_signature") ?? undefined, sha1Sorted(keys.token, q.get("timestamp") ?? "", q.get("nonce") ?? "", encrypt))) return no("bad msg_signature");
  try {
    const { msg, id } = wxOpen(keys.encoding_aes_key ?? "", encrypt);
    return id === keys.app_id ? ok(msg) : no(`appid ${id}`);
  } catch (error) {
    return no(`decrypt failed: ${(error as Error).message}`);
  }
}

/** larksuite node-sdk: the signature over JSON.stringify(parsed body), then AES with key sha256(encrypt key). */
export function verifyLark(r: ProviderRequest, keys: { encrypt_key?: string }): Verdict {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(body(r).toString("utf8")) as Record<string, unknown>;
  } catch {
    return no("not JSON");
  }
  if (keys.encrypt_key && h(r, "x-lark-signature") !== undefined) {
    const content = (h(r, "x-lark-request-timestamp") ?? "") + (h(r, "x-lark-request-nonce") ?? "") + keys.encrypt_key + JSON.stringify(data);
    if (!same(h(r, "x-lark-signature"), createHash("sha256").update(content).digest("hex"))) return no("bad signature");
  }
  if (typeof data.encrypt === "string") {
    if (!keys.encrypt_key) return no("encrypted without a key");
    const buf = Buffer.from(data.encrypt, "base64");
    const d = createDecipheriv("aes-256-cbc", createHash("sha256").update(keys.encrypt_key).digest(), buf.subarray(0, 16));
    try {
      data = JSON.parse(Buffer.concat([d.update(buf.subarray(16)), d.final()]).toString("utf8")) as Record<string, unknown>;
    } catch (error) {
      return no(`decrypt failed: ${(error as Error).message}`);
    }
  }
  return ok(JSON.stringify(data));
}
