/**
 * Standard Webhooks (and Svix, which uses the same scheme under `svix-*` names):
 * `webhook-signature: v1,base64(HMAC-SHA256(base64decode(secret without "whsec_"), "{id}.{ts}.{body}"))`.
 */
import { hmac } from "./crypto.js";
import { serializePayload } from "./payload.js";
import { header, hexId, unixSeconds, withHeaders } from "./request.js";
import type { Provider, ProviderEvent, ProviderRequest, SignContext } from "./types.js";

/** The HMAC key: the base64 after an optional `whsec_` prefix, decoded. */
export function standardKey(secret: string): Buffer {
  const b64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error("a Standard Webhooks secret is base64, optionally prefixed whsec_");
  return Buffer.from(b64, "base64");
}

export function standardSignature(secret: string, id: string, timestamp: string, body: Uint8Array): string {
  return `v1,${hmac("sha256", standardKey(secret), Buffer.concat([Buffer.from(`${id}.${timestamp}.`), Buffer.from(body)]), "base64")}`;
}

function headersFor(prefix: "webhook" | "svix", secret: string, id: string, body: Uint8Array, ctx: SignContext): Record<string, string> {
  const ts = unixSeconds(ctx);
  return { [`${prefix}-id`]: id, [`${prefix}-timestamp`]: ts, [`${prefix}-signature`]: standardSignature(secret, id, ts, body) };
}

function event(name: string, prefix: "webhook" | "svix", description: string): ProviderEvent {
  return {
    name,
    description,
    keys: ["secret"],
    sample: (_keys, ctx) => ({ kind: "json", value: { type: "contact.created", timestamp: new Date(ctx.now).toISOString(), data: { id: `ct_${hexId(ctx, 8)}`, email: "jenny.rosen@example.com" } } }),
    build: (payload, keys, ctx): ProviderRequest => {
      const body = serializePayload(payload);
      return { method: "POST", query: "", headers: { "content-type": "application/json", ...headersFor(prefix, keys.secret ?? "", `msg_${hexId(ctx, 12)}`, body, ctx) }, body };
    },
  };
}

export const standardWebhooks: Provider = {
  name: "standard-webhooks",
  title: "Standard Webhooks / Svix",
  keys: [{ name: "secret", description: "the signing secret, whsec_<base64>", required: true, settingNames: ["standard_webhooks_secret", "svix_secret", "webhook_signing_secret", "webhook_secret", "signing_secret", "secret"] }],
  events: [
    event("event", "webhook", "any JSON body (--body or --set), with webhook-id/-timestamp/-signature"),
    event("svix", "svix", "the same, under Svix's svix-id/-timestamp/-signature names"),
  ],
  toleranceSeconds: 300,
  resignKeys: ["secret"],
  resign: (request, keys, ctx) => {
    const prefix = header(request, "svix-id") !== undefined ? "svix" : "webhook";
    const id = header(request, `${prefix}-id`) ?? `msg_${hexId(ctx, 12)}`;
    return withHeaders(request, headersFor(prefix, keys.secret ?? "", id, request.body, ctx));
  },
};
