/**
 * Stripe webhooks: `Stripe-Signature: t=<s>,v1=hex(HMAC-SHA256(secret, "{t}.{body}"))`, keyed with
 * the whole `whsec_...` string as UTF-8 (not decoded, unlike Standard Webhooks). Stripe sends the
 * event pretty-printed with two spaces.
 */
import { hmac } from "./crypto.js";
import { serializePayload, utf8 } from "./payload.js";
import { hexId, unixSeconds, withHeaders } from "./request.js";
import type { Payload, Provider, ProviderEvent, SignContext } from "./types.js";

export function stripeSignature(secret: string, body: Uint8Array, ctx: SignContext): string {
  const t = unixSeconds(ctx);
  return `t=${t},v1=${hmac("sha256", secret, Buffer.concat([Buffer.from(`${t}.`), Buffer.from(body)]), "hex")}`;
}

function stripeBody(payload: Payload): Uint8Array {
  return payload.kind === "json" ? utf8(JSON.stringify(payload.value, null, 2)) : serializePayload(payload);
}

function event(type: string, description: string, object: (ctx: SignContext) => Record<string, unknown>): ProviderEvent {
  return {
    name: type,
    description,
    keys: ["webhook_secret"],
    sample: (_keys, ctx) => ({
      kind: "json",
      value: {
        id: `evt_${hexId(ctx, 12)}`,
        object: "event",
        api_version: "2024-06-20",
        created: Number(unixSeconds(ctx)),
        data: { object: object(ctx) },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
      },
    }),
    build: (payload, keys, ctx) => {
      const body = stripeBody(payload);
      return {
        method: "POST",
        query: "",
        headers: { "content-type": "application/json; charset=utf-8", "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)", "stripe-signature": stripeSignature(keys.webhook_secret ?? "", body, ctx) },
        body,
      };
    },
  };
}

export const stripe: Provider = {
  name: "stripe",
  title: "Stripe",
  keys: [{ name: "webhook_secret", description: "the endpoint's signing secret, whsec_... (used as is)", required: true, settingNames: ["stripe_webhook_secret", "stripe_signing_secret", "stripe_endpoint_secret", "stripe_secret", "webhook_secret", "endpoint_secret", "signing_secret"] }],
  events: [
    event("payment_intent.succeeded", "a payment succeeded", (ctx) => ({ id: `pi_${hexId(ctx, 12)}`, object: "payment_intent", amount: 2000, amount_received: 2000, currency: "usd", status: "succeeded", livemode: false, metadata: {} })),
    event("checkout.session.completed", "a Checkout session was paid", (ctx) => ({ id: `cs_test_${hexId(ctx, 16)}`, object: "checkout.session", amount_total: 2000, currency: "usd", customer_details: { email: "jenny.rosen@example.com", name: "Jenny Rosen" }, mode: "payment", payment_status: "paid", status: "complete", livemode: false, metadata: {} })),
  ],
  toleranceSeconds: 300,
  resignKeys: ["webhook_secret"],
  resign: (request, keys, ctx) => withHeaders(request, { "stripe-signature": stripeSignature(keys.webhook_secret ?? "", request.body, ctx) }),
};
