/**
 * Small pieces every provider builder shares: timestamps in the unit each provider uses, ids made
 * from the injected randomness, and reading a header or query value back from a captured request.
 */
import type { ProviderRequest, SignContext } from "./types.js";
import { parseQuery } from "./payload.js";

export function unixSeconds(ctx: SignContext): string {
  return String(Math.floor(ctx.now / 1000));
}

export function hexId(ctx: SignContext, bytes: number): string {
  return Buffer.from(ctx.randomBytes(bytes)).toString("hex");
}

/** A version-4 UUID from the injected randomness (GitHub's delivery id). */
export function uuid(ctx: SignContext): string {
  const b = Buffer.from(ctx.randomBytes(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A decimal nonce of up to 10 digits, as WeChat and WeCom send. */
export function digitNonce(ctx: SignContext): string {
  return String(Buffer.from(ctx.randomBytes(4)).readUInt32BE(0));
}

/** A header of a captured request, whatever the case of its name. */
export function header(request: ProviderRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** The request with some headers replaced (names in lower case; any other casing of them is dropped). */
export function withHeaders(request: ProviderRequest, headers: Record<string, string>): ProviderRequest {
  const kept = Object.entries(request.headers).filter(([k]) => !(k.toLowerCase() in headers));
  return { ...request, headers: { ...Object.fromEntries(kept), ...headers } };
}

export function queryValue(request: ProviderRequest, name: string): string | undefined {
  return parseQuery(request.query).get(name);
}
