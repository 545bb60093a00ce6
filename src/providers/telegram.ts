/**
 * Telegram Bot API webhooks: no signature, only the `secret_token` given to `setWebhook`, sent back
 * in `X-Telegram-Bot-Api-Secret-Token` (absent when none was set).
 */
import { serializePayload } from "./payload.js";
import { withHeaders } from "./request.js";
import type { Provider } from "./types.js";

function secretHeader(token: string | undefined): Record<string, string> {
  return token ? { "x-telegram-bot-api-secret-token": token } : {};
}

export const telegram: Provider = {
  name: "telegram",
  title: "Telegram",
  keys: [{ name: "secret_token", description: "the secret_token given to setWebhook (optional)", required: false, settingNames: ["secret_token", "telegram_secret_token", "webhook_secret_token", "telegram_webhook_secret"] }],
  events: [
    {
      name: "message",
      bodyUnsigned: true,
      description: "a user sends a text message (an Update)",
      keys: ["secret_token"],
      sample: (_keys, ctx) => ({
        kind: "json",
        value: {
          update_id: 10000 + (Buffer.from(ctx.randomBytes(2)).readUInt16BE(0)),
          message: { message_id: 1365, from: { id: 1111111, is_bot: false, first_name: "Test", language_code: "en" }, chat: { id: 1111111, first_name: "Test", type: "private" }, date: Math.floor(ctx.now / 1000), text: "/start" },
        },
      }),
      build: (payload, keys) => ({ method: "POST", query: "", headers: { "content-type": "application/json", ...secretHeader(keys.secret_token) }, body: serializePayload(payload) }),
    },
  ],
  resignKeys: ["secret_token"],
  resign: (request, keys) => withHeaders(request, secretHeader(keys.secret_token)),
};
