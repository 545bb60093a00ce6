/**
 * Meta (WhatsApp Cloud API, Messenger): the `GET` verification (`hub.mode=subscribe`, the verify
 * token, a challenge to echo) and event POSTs signed `X-Hub-Signature-256: sha256=hex(HMAC(app
 * secret, body))` over ASCII JSON (non-ASCII as lower-case `\uXXXX`, `/` as `\/`), as Meta sends it.
 */
import { hmac } from "./crypto.js";
import { buildQuery, utf8 } from "./payload.js";
import { digitNonce, withHeaders } from "./request.js";
import type { Payload, Provider } from "./types.js";

/** JSON as Meta serialises it: ASCII only, lower-case `\u` escapes, escaped slashes. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function metaBody(payload: Payload): Uint8Array {
  if (payload.kind === "json") return utf8(metaJson(payload.value));
  return payload.kind === "raw" ? payload.bytes : new Uint8Array(0);
}

export function metaHeaders(appSecret: string | undefined, body: Uint8Array): Record<string, string> {
  if (!appSecret) return {};
  return { "x-hub-signature": `sha1=${hmac("sha1", appSecret, body, "hex")}`, "x-hub-signature-256": `sha256=${hmac("sha256", appSecret, body, "hex")}` };
}

export const meta: Provider = {
  name: "whatsapp",
  title: "Meta: WhatsApp Cloud API (and Messenger)",
  keys: [
    { name: "verify_token", description: "the Verify token typed into the webhook configuration", required: true, settingNames: ["verify_token", "hub_verify_token", "whatsapp_verify_token", "webhook_verify_token"] },
    { name: "app_secret", description: "the Meta app secret (signs POSTs; without it they go unsigned)", required: false, settingNames: ["app_secret", "meta_app_secret", "whatsapp_app_secret", "facebook_app_secret"] },
  ],
  events: [
    {
      name: "verification",
      description: "the GET handshake: expects hub.challenge echoed as the body",
      keys: ["verify_token"],
      sample: () => ({ kind: "none" }),
      build: (_payload, keys, ctx) => {
        const challenge = digitNonce(ctx);
        return {
          method: "GET",
          query: buildQuery([["hub.mode", "subscribe"], ["hub.challenge", challenge], ["hub.verify_token", keys.verify_token ?? ""]]),
          headers: { "user-agent": "facebookplatform/1.0 (+http://developers.facebook.com)" },
          body: new Uint8Array(0),
          expect: challenge,
        };
      },
    },
    {
      name: "message",
      description: "a user sends a text message",
      keys: ["app_secret"],
      sample: (_keys, ctx) => ({
        kind: "json",
        value: {
          object: "whatsapp_business_account",
          entry: [{ id: "102290129340398", changes: [{ field: "messages", value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
            contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: "16505551234" }],
            messages: [{ from: "16505551234", id: `wamid.${Buffer.from(ctx.randomBytes(24)).toString("base64")}`, timestamp: String(Math.floor(ctx.now / 1000)), type: "text", text: { body: "Does it come in another color?" } }],
          } }] }],
        },
      }),
      build: (payload, keys) => {
        const body = metaBody(payload);
        return { method: "POST", query: "", headers: { "content-type": "application/json", "user-agent": "facebookexternalua", ...metaHeaders(keys.app_secret, body) }, body };
      },
    },
  ],
  resignKeys: ["app_secret"],
  resign: (request, keys) => (request.method === "GET" ? request : withHeaders(request, metaHeaders(keys.app_secret, request.body))),
};
