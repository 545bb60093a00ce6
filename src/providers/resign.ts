/**
 * Re-signing captured or fixture requests: recognise the provider scheme a request carries, and sign
 * it afresh (new timestamp, new signature over the body as it now is) with the provider's keys.
 * Used by fixtures' `sign:` blocks and by the inspector's replay.
 */
import { findProvider, PROVIDERS } from "./index.js";
import { parseQuery } from "./payload.js";
import { header } from "./request.js";
import { resolveKeys, type KeySource } from "./settings-match.js";
import type { Keys, Provider, ProviderRequest, SignContext } from "./types.js";

/** The provider whose signature scheme a request carries, by its headers and query; undefined if none. */
export function detectProvider(request: ProviderRequest): Provider | undefined {
  const has = (name: string) => header(request, name) !== undefined;
  const query = parseQuery(request.query);
  let name: string | undefined;
  if (has("x-slack-signature")) name = "slack";
  else if (has("x-line-signature")) name = "line";
  else if (has("x-github-event")) name = "github";
  else if (has("x-hub-signature-256") || query.get("hub.mode") === "subscribe") name = "whatsapp";
  else if (has("stripe-signature")) name = "stripe";
  else if (has("webhook-signature") || has("svix-signature")) name = "standard-webhooks";
  else if (has("x-signature-ed25519")) name = "discord";
  else if (has("x-telegram-bot-api-secret-token")) name = "telegram";
  else if (has("x-lark-request-timestamp")) name = "lark";
  else if (has("sign") && has("timestamp")) name = "dingtalk";
  else if (query.has("msg_signature") && !query.has("signature")) name = "wecom";
  else if (query.has("signature") && query.has("timestamp") && query.has("nonce")) name = "wechat";
  return name === undefined ? undefined : PROVIDERS.find((p) => p.name === name);
}

/** Signs a request afresh with the provider's scheme. */
export function resign(request: ProviderRequest, provider: Provider | string, keys: Keys, ctx: SignContext): ProviderRequest {
  const p = typeof provider === "string" ? findProvider(provider) : provider;
  if (!p) throw new Error(`unknown provider "${String(provider)}"`);
  const withFallbacks: Keys = { ...Object.fromEntries(p.keys.filter((k) => k.fallback !== undefined).map((k) => [k.name, k.fallback!])), ...keys };
  return p.resign(request, withFallbacks, ctx);
}

/** A fixture's `sign:` block, parsed. */
export interface SignBlock {
  provider: Provider;
  /** Key values written in the block (`secret:` is the provider's first key). */
  given: Keys;
  /** Setting names holding keys (`setting:` names the first key's setting). */
  settingFor: Record<string, string>;
}

function stringMap(value: unknown, where: string, problems: string[]): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${where} must be a mapping of key name to text`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string" || typeof v === "number") out[k] = String(v);
    else problems.push(`${where}.${k} must be text`);
  }
  return out;
}

/**
 * Parses `sign: { provider, secret? | setting?, keys?: {name: value}, settings?: {name: setting} }`.
 * Without `secret`, `setting`, `keys` or `settings`, keys are found in the plugin's settings by name.
 */
export function parseSignBlock(value: unknown): { block: SignBlock } | { problems: string[] } {
  const problems: string[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { problems: ["sign must be a mapping with at least `provider`"] };
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!["provider", "secret", "setting", "keys", "settings"].includes(key)) problems.push(`sign.${key} is not known (provider, secret, setting, keys, settings)`);
  const provider = typeof raw.provider === "string" ? findProvider(raw.provider) : undefined;
  if (!provider) {
    problems.push(typeof raw.provider === "string" ? `sign.provider "${raw.provider}" is not known (${PROVIDERS.map((p) => p.name).join(", ")})` : "sign.provider is required");
    return { problems };
  }
  const given = stringMap(raw.keys, "sign.keys", problems);
  const settingFor = stringMap(raw.settings, "sign.settings", problems);
  const first = provider.keys[0]!.name;
  if (raw.secret !== undefined) {
    if (typeof raw.secret === "string") given[first] = raw.secret;
    else problems.push("sign.secret must be text");
  }
  if (raw.setting !== undefined) {
    if (typeof raw.setting === "string") settingFor[first] = raw.setting;
    else problems.push("sign.setting must be text");
  }
  for (const name of [...Object.keys(given), ...Object.keys(settingFor)]) {
    if (!provider.keys.some((k) => k.name === name)) problems.push(`${provider.name} has no key "${name}" (${provider.keys.map((k) => k.name).join(", ")})`);
  }
  return problems.length > 0 ? { problems } : { block: { provider, given, settingFor } };
}

/** Signs a fixture's request per its `sign:` block, keys taken from the block or the plugin's settings. */
export function signWithBlock(request: ProviderRequest, block: SignBlock, settings: Record<string, unknown>, ctx: SignContext): { request: ProviderRequest; sources: KeySource[] } {
  const { keys, sources } = resolveKeys(block.provider, block.provider.keys.map((k) => k.name), { given: block.given, settingFor: block.settingFor, settings, declared: Object.keys(settings) });
  return { request: resign(request, block.provider, keys, ctx), sources };
}
