/**
 * LINE Messaging API: `X-Line-Signature: base64(HMAC-SHA256(channel secret, body))`. The console's
 * "Verify" button sends the same signed POST with no events.
 */
import { hmac } from "./crypto.js";
import { serializePayload } from "./payload.js";
import { hexId, withHeaders } from "./request.js";
import type { Provider, ProviderEvent, SignContext } from "./types.js";

export function lineSignature(secret: string, body: Uint8Array): string {
  return hmac("sha256", secret, body, "base64");
}

function event(name: string, description: string, sample: (ctx: SignContext) => unknown): ProviderEvent {
  return {
    name,
    description,
    keys: ["channel_secret"],
    sample: (_keys, ctx) => ({ kind: "json", value: sample(ctx) }),
    build: (payload, keys) => {
      const body = serializePayload(payload);
      return { method: "POST", query: "", headers: { "content-type": "application/json; charset=utf-8", "user-agent": "LineBotWebhook/2.0", "x-line-signature": lineSignature(keys.channel_secret ?? "", body) }, body };
    },
  };
}

export const line: Provider = {
  name: "line",
  title: "LINE",
  keys: [{ name: "channel_secret", description: "the channel secret (Basic settings)", required: true, settingNames: ["channel_secret", "line_channel_secret", "line_secret"] }],
  events: [
    event("message", "a user sends a text message", (ctx) => ({
      destination: "U123",
      events: [
        {
          replyToken: hexId(ctx, 16),
          type: "message",
          mode: "active",
          timestamp: ctx.now,
          source: { type: "user", userId: "U206d25c2ea6bd87c17655609a1c37cb8" },
          webhookEventId: `01${hexId(ctx, 12).toUpperCase()}`,
          deliveryContext: { isRedelivery: false },
          message: { id: "325708", type: "text", text: "Hello, world", quoteToken: "quoteToken" },
        },
      ],
    })),
    event("verify", "the console's Verify button: a signed POST with no events", () => ({ destination: "U123", events: [] })),
  ],
  resignKeys: ["channel_secret"],
  resign: (request, keys) => withHeaders(request, { "x-line-signature": lineSignature(keys.channel_secret ?? "", request.body) }),
};
