/**
 * Slack: Events API JSON (`url_verification`, `app_mention`, `message`), a slash command and an
 * interactivity `payload=` post as forms. Signed `v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}"))`.
 */
import { hmac } from "./crypto.js";
import { jsonValue, serializePayload, utf8 } from "./payload.js";
import { unixSeconds, withHeaders } from "./request.js";
import type { Keys, Payload, Provider, ProviderEvent, ProviderRequest, SignContext } from "./types.js";

const USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)";

/** The signature headers for `body` at the context's time. */
export function slackHeaders(secret: string, body: Uint8Array, ctx: SignContext): Record<string, string> {
  const ts = unixSeconds(ctx);
  const base = Buffer.concat([Buffer.from(`v0:${ts}:`), Buffer.from(body)]);
  return { "x-slack-request-timestamp": ts, "x-slack-signature": `v0=${hmac("sha256", secret, base, "hex")}` };
}

function post(body: Uint8Array, contentType: string, keys: Keys, ctx: SignContext): ProviderRequest {
  return {
    method: "POST",
    query: "",
    headers: { "content-type": contentType, "user-agent": USER_AGENT, ...slackHeaders(keys.signing_secret ?? "", body, ctx) },
    body,
  };
}

function jsonEvent(name: string, description: string, sample: (ctx: SignContext) => unknown): ProviderEvent {
  return {
    name,
    description,
    keys: ["signing_secret"],
    sample: (_keys, ctx) => ({ kind: "json", value: sample(ctx) }),
    build: (payload, keys, ctx) => post(serializePayload(payload), "application/json", keys, ctx),
  };
}

function callback(event: Record<string, unknown>, ctx: SignContext): unknown {
  const ts = unixSeconds(ctx);
  return {
    token: "XXYYZZ",
    team_id: "T123ABC456",
    api_app_id: "A123ABC456",
    event: { ...event, ts: `${ts}.000100`, channel: "C123ABC456", event_ts: `${ts}.000100` },
    type: "event_callback",
    authorizations: [{ team_id: "T123ABC456", user_id: "U0LAN0Z89", is_bot: true, is_enterprise_install: false }],
    event_id: `Ev${ts}`,
    event_time: Number(ts),
  };
}

export const slack: Provider = {
  name: "slack",
  title: "Slack",
  keys: [{ name: "signing_secret", description: "the app's Signing Secret (Basic Information page)", required: true, settingNames: ["signing_secret", "slack_signing_secret", "slack_secret"] }],
  events: [
    {
      ...jsonEvent("url_verification", "the Events API handshake; expects the challenge back", () => ({
        token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        type: "url_verification",
      })),
      build: (payload, keys, ctx) => {
        const request = post(serializePayload(payload), "application/json", keys, ctx);
        const challenge = (jsonValue(payload) as { challenge?: unknown } | undefined)?.challenge;
        return typeof challenge === "string" ? { ...request, expect: challenge } : request;
      },
    },
    jsonEvent("app_mention", "someone mentions the app in a channel", (ctx) =>
      callback({ type: "app_mention", user: "U061F7AUR", text: "<@U0LAN0Z89> is it everything a river should be?" }, ctx),
    ),
    jsonEvent("message", "a message in a channel the app is in", (ctx) =>
      callback({ type: "message", channel_type: "channel", user: "U061F7AUR", text: "Hello world" }, ctx),
    ),
    {
      name: "slash_command",
      description: "a slash command, as a form post",
      keys: ["signing_secret"],
      sample: () => ({
        kind: "form",
        fields: {
          token: "xyzz0WbapA4vBCDEFasx0q6G",
          team_id: "T1DC2JH3J",
          team_domain: "testteamnow",
          channel_id: "G8PSS9T3V",
          channel_name: "foobar",
          user_id: "U2CERLKJA",
          user_name: "roadrunner",
          command: "/webhook-collect",
          text: "",
          response_url: "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN",
          trigger_id: "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        },
      }),
      build: (payload, keys, ctx) => post(serializePayload(payload), "application/x-www-form-urlencoded", keys, ctx),
    },
    {
      name: "block_actions",
      description: "an interactivity post (a button click): the form field payload= holds JSON",
      keys: ["signing_secret"],
      sample: (_keys, ctx): Payload => ({
        kind: "json",
        value: {
          type: "block_actions",
          user: { id: "U061F7AUR", username: "roadrunner", team_id: "T123ABC456" },
          api_app_id: "A123ABC456",
          token: "XXYYZZ",
          trigger_id: `${unixSeconds(ctx)}.47445629121.803a0bc887a14d10d2c447fce8b6703c`,
          team: { id: "T123ABC456", domain: "testteamnow" },
          channel: { id: "C123ABC456", name: "general" },
          response_url: "https://hooks.slack.com/actions/T123ABC456/1234567890/abcdefgh",
          actions: [{ type: "button", action_id: "approve", block_id: "b1", value: "yes", action_ts: `${unixSeconds(ctx)}.000200` }],
        },
      }),
      build: (payload, keys, ctx) => {
        const value = payload.kind === "raw" ? serializePayload(payload) : utf8(new URLSearchParams({ payload: JSON.stringify(jsonValue(payload)) }).toString());
        return post(value, "application/x-www-form-urlencoded", keys, ctx);
      },
    },
  ],
  toleranceSeconds: 300,
  resignKeys: ["signing_secret"],
  resign: (request, keys, ctx) => withHeaders(request, slackHeaders(keys.signing_secret ?? "", request.body, ctx)),
};
