/**
 * Re-signing as other tools call it: the `sign:` key of a fixture (an extension of the fixture
 * format: parse the YAML node, then rewrite the request before each run with the case's settings)
 * and the inspector's replay (recognise the scheme, find the keys in the settings, sign afresh).
 * Requests here are in the Fetch shape those tools use: a path with its query, `Headers`, bytes.
 */
import type { YamlNode } from "../manifest/yaml.js";
import { plainValue } from "../settings/check-settings.js";
import { detectProvider, parseSignBlock, resign, signWithBlock, type SignBlock } from "./resign.js";
import { resolveKeys, type KeySource } from "./settings-match.js";
import type { ProviderRequest, SignContext } from "./types.js";
import { randomBytes } from "node:crypto";

/** A request as the fixture runner and the inspector hold it. */
export interface FetchShapedRequest {
  method: string;
  /** Path and query (`/slack?x=1`), as sent. */
  path: string;
  headers: Headers;
  body?: Uint8Array;
}

const liveContext = (): SignContext => ({ now: Date.now(), randomBytes: (n) => randomBytes(n) });

function toProvider(request: FetchShapedRequest): ProviderRequest {
  const q = request.path.indexOf("?");
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  return { method: request.method === "GET" ? "GET" : "POST", query: q < 0 ? "" : request.path.slice(q + 1), headers, body: request.body ?? new Uint8Array(0) };
}

function fromProvider(original: FetchShapedRequest, signed: ProviderRequest): FetchShapedRequest {
  const q = original.path.indexOf("?");
  const path = (q < 0 ? original.path : original.path.slice(0, q)) + (signed.query ? `?${signed.query}` : "");
  return { ...original, path, headers: new Headers(signed.headers), ...(original.body !== undefined ? { body: signed.body } : {}) };
}

/** A problem with a `sign:` node, at its offsets (the fixture runner reports it like any bad fixture). */
export interface SignProblem {
  message: string;
  hint?: string;
  start: number;
  end: number;
}

/**
 * The `sign:` fixture key: `{ provider, secret? | setting?, keys?, settings? }`. Its shape matches the
 * fixture runner's extension interface, so registering it is one line there.
 */
export const signFixtureExtension = {
  key: "sign",
  parse(node: YamlNode): { ok: true; value: SignBlock } | { ok: false; problems: SignProblem[] } {
    const parsed = parseSignBlock(plainValue(node));
    if ("block" in parsed) return { ok: true, value: parsed.block };
    return { ok: false, problems: parsed.problems.map((message) => ({ message, hint: "see `endpoint-kit send --list` for providers and their keys", start: node.start, end: node.end })) };
  },
  /** Signs the request afresh with the case's settings; throws when a key the provider needs is missing. */
  prepare(request: FetchShapedRequest, block: SignBlock, context: { settings: Record<string, unknown> }): FetchShapedRequest {
    const { request: signed, sources } = signWithBlock(toProvider(request), block, context.settings, liveContext());
    const missing = sources.filter((s) => s.from === "missing" && block.provider.resignKeys.includes(s.key));
    if (missing.length > 0) throw new Error(`sign: ${block.provider.name} needs ${missing.map((s) => s.key).join(" and ")}: name the setting (sign.setting / sign.settings) or give the value (sign.secret / sign.keys)`);
    return fromProvider(request, signed);
  },
};

/** What replay did: the provider recognised and where its keys came from, or why it did not re-sign. */
export type ReplaySigning = { signed: true; request: FetchShapedRequest; provider: string; sources: KeySource[] } | { signed: false; reason: string };

/**
 * Re-signs a captured request for replay when its scheme is recognised and the plugin's settings
 * hold its keys (matched by name, as `send` does); otherwise says why it is sent as captured.
 */
export function resignForReplay(request: FetchShapedRequest, settings: Record<string, unknown>): ReplaySigning {
  const plain = toProvider(request);
  const provider = detectProvider(plain);
  if (!provider) return { signed: false, reason: "no known provider signature on this request" };
  const { keys, sources } = resolveKeys(provider, provider.keys.map((k) => k.name), { given: {}, settingFor: {}, settings, declared: Object.keys(settings) });
  const missing = sources.filter((s) => s.from === "missing" && provider.resignKeys.includes(s.key));
  if (missing.length > 0) return { signed: false, reason: `${provider.title} request, but no setting holds ${missing.map((s) => s.key).join(", ")}` };
  return { signed: true, request: fromProvider(request, resign(plain, provider, keys, liveContext())), provider: provider.name, sources };
}
