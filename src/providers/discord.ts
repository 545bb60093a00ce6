/**
 * Discord interactions: `X-Signature-Ed25519` = hex Ed25519 over `X-Signature-Timestamp + body`.
 * The secret is the application's 32-byte private seed in hex; without one, the RFC 8032 test key
 * is used, and its public key is what the plugin's settings must hold.
 */
import { ed25519PublicKey, ed25519Sign } from "./crypto.js";
import { serializePayload } from "./payload.js";
import { unixSeconds, withHeaders } from "./request.js";
import type { Provider, ProviderEvent, SignContext } from "./types.js";

/** RFC 8032 section 7.1, TEST 1: a published key, fine for local tests and nothing else. */
export const DISCORD_TEST_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

export function discordHeaders(seedHex: string, body: Uint8Array, ctx: SignContext): Record<string, string> {
  const ts = unixSeconds(ctx);
  return { "x-signature-ed25519": ed25519Sign(seedHex, Buffer.concat([Buffer.from(ts), Buffer.from(body)])), "x-signature-timestamp": ts };
}

function event(name: string, description: string, sample: () => unknown): ProviderEvent {
  return {
    name,
    description,
    keys: ["private_key"],
    sample: () => ({ kind: "json", value: sample() }),
    build: (payload, keys, ctx) => {
      const body = serializePayload(payload);
      return { method: "POST", query: "", headers: { "content-type": "application/json", "user-agent": "Discord-Interactions/1.0 (+https://discord.com)", ...discordHeaders(keys.private_key ?? DISCORD_TEST_SEED, body, ctx) }, body };
    },
  };
}

export { ed25519PublicKey as discordPublicKey };

export const discord: Provider = {
  name: "discord",
  title: "Discord interactions",
  keys: [
    { name: "private_key", description: "the 32-byte Ed25519 seed in hex (default: a fixed test key; put its public key in the plugin's settings)", required: false, settingNames: [], fallback: DISCORD_TEST_SEED },
  ],
  events: [
    event("ping", "the PING Discord sends when the Interactions URL is saved; expects {\"type\":1}", () => ({ id: "787053080478613555", token: "ThisIsATokenFromDiscordThatIsVeryLong", type: 1, version: 1 })),
    event("application_command", "a slash command (type 2)", () => ({
      id: "787053080478613556",
      application_id: "787053080478613550",
      token: "ThisIsATokenFromDiscordThatIsVeryLong",
      type: 2,
      version: 1,
      channel_id: "787053080478613557",
      member: { user: { id: "53908232506183680", username: "mason", discriminator: "0" } },
      data: { id: "787053080478613554", name: "test", type: 1 },
    })),
  ],
  resignKeys: ["private_key"],
  resign: (request, keys, ctx) => withHeaders(request, discordHeaders(keys.private_key ?? DISCORD_TEST_SEED, request.body, ctx)),
};
