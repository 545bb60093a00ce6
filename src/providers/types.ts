/**
 * A webhook provider as `send` and re-signing see it: the keys it signs or encrypts with, the events
 * it can send (each a sample payload and a builder that turns it into the exact request the provider
 * makes), and how to re-sign a captured request or read an encrypted reply. Pure: time and randomness
 * come in through `SignContext`, so official test vectors reproduce byte for byte.
 */

/** A request exactly as the provider sends it. `target` is the path suffix and query after the endpoint path. */
export interface ProviderRequest {
  method: "GET" | "POST";
  /** Query string (without `?`), already percent-encoded; empty when there is none. */
  query: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** For handshakes: text a correct answer contains (the challenge, the decrypted echostr). */
  expect?: string;
}

/** Clock and randomness, injected so that tests can pin them. */
export interface SignContext {
  /** Milliseconds since the epoch. */
  now: number;
  randomBytes(size: number): Uint8Array;
}

/** One key a provider needs (a secret, a token, an id), and the setting names that usually hold it. */
export interface KeySpec {
  name: string;
  description: string;
  /** Without it, `send` refuses (unless `fallback` gives a value). */
  required: boolean;
  /** Setting names, lower case, compared after removing `_`/`-`; first match wins. */
  settingNames: string[];
  /** A value to use when the key is neither given nor found (Discord's fixed test key). */
  fallback?: string;
}

/** Keys resolved to values; a missing optional key is absent. */
export type Keys = Record<string, string>;

/** The payload `--set` edits: a JSON value, form fields, or flat XML fields. */
export type Payload =
  | { kind: "json"; value: unknown }
  | { kind: "form"; fields: Record<string, string> }
  | { kind: "xml"; fields: Record<string, string | number> }
  | { kind: "raw"; bytes: Uint8Array }
  | { kind: "none" };

export interface ProviderEvent {
  name: string;
  description: string;
  /** Keys this event uses (names from the provider's `keys`). */
  keys: string[];
  /** The provider does not sign this event's body (DingTalk, Telegram, WeChat plain mode...). */
  bodyUnsigned?: boolean;
  /** The sample payload; `keys` lets it carry values the provider puts in the body (Lark's token). */
  sample(keys: Keys, ctx: SignContext): Payload;
  build(payload: Payload, keys: Keys, ctx: SignContext): ProviderRequest;
}

/** What the provider's reply decrypts to, for providers that encrypt their replies. */
export interface ReplyReading {
  encrypted: boolean;
  /** The plaintext, when the reply was encrypted and decrypted. */
  plaintext?: string;
  /** Whether the reply's signature checks; undefined when the reply carries none. */
  signatureValid?: boolean;
  problem?: string;
}

export interface Provider {
  name: string;
  title: string;
  keys: KeySpec[];
  events: ProviderEvent[];
  /** How old a timestamp the provider's SDK still accepts; absent when nothing checks the age. */
  toleranceSeconds?: number;
  /** The keys re-signing cannot do without (a replay is sent as captured when one is unknown). */
  resignKeys: string[];
  /** Signs a captured (possibly edited) request afresh: new timestamp, new signature, same body. */
  resign(request: ProviderRequest, keys: Keys, ctx: SignContext): ProviderRequest;
  /** Reads an encrypted reply; absent for providers whose replies are plain. */
  readReply?(body: Uint8Array, keys: Keys): ReplyReading;
}
