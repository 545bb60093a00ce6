/**
 * Cross-site request refusal: any web page a developer opens could otherwise call the local
 * endpoints with the real settings (a `text/plain` POST needs no CORS preflight). A browser marks
 * such requests with `Origin` (and `Sec-Fetch-Site`); server-to-server callers (webhooks, curl,
 * tests) send neither, so they are unaffected. Loopback origins (a local front end) and the
 * server's own origin are allowed; others only with `--allow-origin`.
 */
import { isLoopbackName } from "./host-check.js";

export interface OriginVerdict {
  allowed: boolean;
  /** The origin to name in `--allow-origin <origin>` when refused. */
  origin?: string;
}

const ALLOWED: OriginVerdict = { allowed: true };

/** `allowed` holds origins as given to `--allow-origin` (lower case, no trailing slash), or `*`. */
export function checkOrigin(headers: Record<string, string | string[] | undefined>, host: string, allowed: ReadonlySet<string>): OriginVerdict {
  const origin = single(headers.origin);
  if (origin === undefined) {
    // No Origin: not a browser, or a same-origin GET/HEAD, or a navigation. A cross-site subresource
    // request (an <img> or no-cors fetch of a GET endpoint) still says where it comes from.
    const site = single(headers["sec-fetch-site"]);
    const mode = single(headers["sec-fetch-mode"]);
    if (site === "cross-site" && mode !== "navigate" && !allowed.has("*")) return { allowed: false, origin: "*" };
    return ALLOWED;
  }
  const normalized = origin.trim().toLowerCase().replace(/\/+$/, "");
  if (allowed.has("*") || allowed.has(normalized)) return ALLOWED;
  if (normalized === "null") return { allowed: false, origin: "null" };
  let url: URL;
  try {
    url = new URL(normalized);
  } catch {
    return { allowed: false, origin: normalized };
  }
  if (url.host === host.trim().toLowerCase()) return ALLOWED;
  if ((url.protocol === "http:" || url.protocol === "https:") && isLoopbackName(url.hostname)) return ALLOWED;
  return { allowed: false, origin: normalized };
}

/** Checks a `--allow-origin` value: `*` or `scheme://host[:port]`; returns it normalized, or why not. */
export function parseAllowedOrigin(value: string): { origin: string } | { error: string } {
  const trimmed = value.trim().toLowerCase().replace(/\/+$/, "");
  if (trimmed === "*") return { origin: "*" };
  try {
    const url = new URL(trimmed);
    if (url.origin !== "null" && url.origin === trimmed) return { origin: trimmed };
  } catch {
    // reported below
  }
  return { error: `--allow-origin ${JSON.stringify(value)} is not an origin: give scheme://host[:port], such as https://app.example.com, or *` };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
