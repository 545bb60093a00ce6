/**
 * Every provider `send` knows, and the pure operations on them: find an event by `provider.event`,
 * resolve the keys an event needs, build its request (sample, `--set` edits or a body, then sign).
 */
import { dingtalk } from "./dingtalk.js";
import { discord } from "./discord.js";
import { github } from "./github.js";
import { lark } from "./lark.js";
import { line } from "./line.js";
import { meta } from "./meta.js";
import { setField } from "./payload.js";
import { slack } from "./slack.js";
import { standardWebhooks } from "./standard-webhooks.js";
import { stripe } from "./stripe.js";
import { telegram } from "./telegram.js";
import { wechat } from "./wechat.js";
import { wecom } from "./wecom.js";
import type { Keys, Payload, Provider, ProviderEvent, ProviderRequest, SignContext } from "./types.js";

export type { Keys, Payload, Provider, ProviderEvent, ProviderRequest, ReplyReading, SignContext } from "./types.js";

export const PROVIDERS: readonly Provider[] = [slack, github, stripe, standardWebhooks, line, meta, discord, telegram, wechat, wecom, lark, dingtalk];

/** Other names people type for a provider. */
const ALIASES: Record<string, string> = { meta: "whatsapp", messenger: "whatsapp", feishu: "lark", svix: "standard-webhooks", standardwebhooks: "standard-webhooks", weixin: "wechat", "wechat-work": "wecom", wework: "wecom" };

export function findProvider(name: string): Provider | undefined {
  const wanted = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
  return PROVIDERS.find((p) => p.name === wanted);
}

/** `slack.app_mention` or `lark.im.message.receive_v1`: the provider is the part before the first dot. */
export function findEvent(spec: string): { provider: Provider; event: ProviderEvent } | { error: string; known: string[] } {
  const dot = spec.indexOf(".");
  const providerName = dot < 0 ? spec : spec.slice(0, dot);
  const provider = findProvider(providerName);
  if (!provider) return { error: `unknown provider "${providerName}"`, known: PROVIDERS.map((p) => p.name) };
  const eventName = dot < 0 ? "" : spec.slice(dot + 1);
  const event = provider.events.find((e) => e.name === eventName);
  if (!event) return { error: eventName ? `${provider.name} has no event "${eventName}"` : `name an event: ${provider.name}.<event>`, known: provider.events.map((e) => `${provider.name}.${e.name}`) };
  return { provider, event };
}

/** How the payload is given: the sample with `--set` edits applied, or a whole body. */
export interface PayloadInput {
  sets: string[];
  body?: Uint8Array;
}

/** The payload an event will send: `--body` bytes as they are, else the sample with each `--set` applied. */
export function preparePayload(event: ProviderEvent, keys: Keys, input: PayloadInput, ctx: SignContext): Payload {
  if (input.body !== undefined) {
    if (input.sets.length > 0) throw new Error("--set edits the sample payload; it cannot be combined with --body");
    return { kind: "raw", bytes: input.body };
  }
  return input.sets.reduce((payload, assignment) => setField(payload, assignment), event.sample(keys, ctx));
}

/** Builds, signs and (where the provider does) encrypts the request for one event. */
export function buildRequest(event: ProviderEvent, keys: Keys, input: PayloadInput, ctx: SignContext): ProviderRequest {
  return event.build(preparePayload(event, keys, input, ctx), keys, ctx);
}

/** The keys an event needs that have no value (and no fallback). */
export function missingKeys(provider: Provider, event: ProviderEvent, keys: Keys): string[] {
  return provider.keys.filter((k) => event.keys.includes(k.name) && k.required && keys[k.name] === undefined && k.fallback === undefined).map((k) => k.name);
}

/** Plain text for `send --list`: each provider, its keys (with the setting names looked for), its events. */
export function renderProviderList(): string {
  const lines: string[] = [];
  for (const p of PROVIDERS) {
    lines.push(`${p.name}  ${p.title}`);
    for (const k of p.keys) {
      const names = k.settingNames.length > 0 ? ` (settings: ${k.settingNames.join(", ")})` : "";
      lines.push(`  key ${k.name}${k.required ? "" : " (optional)"}: ${k.description}${names}`);
    }
    const width = Math.max(...p.events.map((e) => `${p.name}.${e.name}`.length));
    for (const e of p.events) lines.push(`  ${`${p.name}.${e.name}`.padEnd(width)}  ${e.description}  [${e.keys.join(", ")}]`);
    lines.push("");
  }
  return lines.join("\n");
}
