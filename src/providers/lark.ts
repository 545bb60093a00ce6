/**
 * Lark / Feishu events: `url_verification` (never signed) and `im.message.receive_v1`. With an
 * Encrypt Key the body becomes `{"encrypt": base64(iv ‖ AES-256-CBC(sha256(key), json))}` and events
 * carry `X-Lark-Signature = sha256_hex(timestamp + nonce + key + body)`. Bodies are compact JSON, so
 * verifiers that hash the raw bytes and those that re-serialise the parsed body agree.
 */
import { hash, larkDecrypt, larkEncrypt } from "./crypto.js";
import { serializePayload, text, utf8 } from "./payload.js";
import { header, hexId, unixSeconds, withHeaders } from "./request.js";
import type { Keys, Payload, Provider, ProviderRequest, ReplyReading, SignContext } from "./types.js";

const SAMPLE_TOKEN = "v6pNwAUwsEhIEcBTcYhjVgXtJ2B5vLrH";

export function larkSignature(timestamp: string, nonce: string, encryptKey: string, body: Uint8Array): string {
  return hash("sha256", Buffer.concat([Buffer.from(timestamp + nonce + encryptKey), Buffer.from(body)]), "hex");
}

function signatureHeaders(keys: Keys, body: Uint8Array, ctx: SignContext): Record<string, string> {
  const timestamp = unixSeconds(ctx);
  const nonce = hexId(ctx, 8);
  const headers: Record<string, string> = { "x-lark-request-timestamp": timestamp, "x-lark-request-nonce": nonce };
  if (keys.encrypt_key) headers["x-lark-signature"] = larkSignature(timestamp, nonce, keys.encrypt_key, body);
  return headers;
}

/** The body Lark sends: the JSON, encrypted when there is an Encrypt Key. */
function larkBody(payload: Payload, keys: Keys, ctx: SignContext): Uint8Array {
  const plain = serializePayload(payload);
  if (!keys.encrypt_key) return plain;
  return utf8(JSON.stringify({ encrypt: larkEncrypt(keys.encrypt_key, ctx.randomBytes(16), text(plain)) }));
}

function post(body: Uint8Array, headers: Record<string, string>): ProviderRequest {
  return { method: "POST", query: "", headers: { "content-type": "application/json; charset=utf-8", "user-agent": "Go-http-client/1.1", ...headers }, body };
}

export const lark: Provider = {
  name: "lark",
  title: "Lark / Feishu",
  keys: [
    { name: "encrypt_key", description: "the Encrypt Key (optional: encrypts and signs events)", required: false, settingNames: ["encrypt_key", "lark_encrypt_key", "feishu_encrypt_key"] },
    { name: "verification_token", description: "the Verification Token, carried in the body", required: false, settingNames: ["verification_token", "lark_verification_token", "feishu_verification_token"] },
  ],
  events: [
    {
      name: "url_verification",
      bodyUnsigned: true,
      description: "the request URL check: expects {\"challenge\":...} back (not signed)",
      keys: ["encrypt_key", "verification_token"],
      sample: (keys, ctx) => ({ kind: "json", value: { challenge: hexId(ctx, 16), token: keys.verification_token ?? SAMPLE_TOKEN, type: "url_verification" } }),
      build: (payload, keys, ctx) => {
        const value = payload.kind === "json" ? (payload.value as { challenge?: unknown }) : undefined;
        const request = post(larkBody(payload, keys, ctx), {});
        return typeof value?.challenge === "string" ? { ...request, expect: value.challenge } : request;
      },
    },
    {
      name: "im.message.receive_v1",
      description: "a user sends a text message to the bot",
      keys: ["encrypt_key", "verification_token"],
      sample: (keys, ctx) => ({
        kind: "json",
        value: {
          schema: "2.0",
          header: { event_id: hexId(ctx, 16), token: keys.verification_token ?? SAMPLE_TOKEN, create_time: String(ctx.now), event_type: "im.message.receive_v1", tenant_key: "2ca1d211f64f6438", app_id: "cli_a1b2c3d4e5f6a7b8" },
          event: {
            sender: { sender_id: { open_id: "ou_84aad35d084aa403a838cf73ee18467", union_id: "on_8ed6aa67826108097d9ee143816345", user_id: "e33ggbyz" }, sender_type: "user", tenant_key: "2ca1d211f64f6438" },
            message: { message_id: `om_${hexId(ctx, 16)}`, root_id: "", parent_id: "", create_time: String(ctx.now), chat_id: "oc_5ad11d72b830411d72b836c20", chat_type: "p2p", message_type: "text", content: JSON.stringify({ text: "hello" }), mentions: [] },
          },
        },
      }),
      build: (payload, keys, ctx) => {
        const body = larkBody(payload, keys, ctx);
        return post(body, signatureHeaders(keys, body, ctx));
      },
    },
  ],
  resignKeys: ["encrypt_key"],
  resign: (request, keys, ctx) => (header(request, "x-lark-request-timestamp") === undefined ? request : withHeaders(request, signatureHeaders(keys, request.body, ctx))),
  readReply: (body, keys): ReplyReading => {
    let encrypt: unknown;
    try {
      encrypt = (JSON.parse(text(body)) as { encrypt?: unknown }).encrypt;
    } catch {
      return { encrypted: false };
    }
    if (typeof encrypt !== "string") return { encrypted: false };
    if (!keys.encrypt_key) return { encrypted: true, problem: "no Encrypt Key to decrypt with" };
    try {
      return { encrypted: true, plaintext: larkDecrypt(keys.encrypt_key, encrypt) };
    } catch (error) {
      return { encrypted: true, problem: `cannot decrypt: ${(error as Error).message}` };
    }
  },
};
