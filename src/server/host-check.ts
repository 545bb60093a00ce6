/**
 * DNS-rebinding protection: only loopback names, and names given with --allow-host, may reach the
 * server. Reads the raw Host header (an absolute-form request line does not change it).
 */

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Host header without its port, lower case (`[::1]:5002` -> `[::1]`). */
export function hostName(header: string): string {
  const lower = header.trim().toLowerCase();
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1);
  return lower.replace(/:\d*$/, "");
}

/** localhost, *.localhost, 127.x.y.z and ::1 (with or without brackets). */
export function isLoopbackName(name: string): boolean {
  return LOOPBACK.has(name) || name.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * `allowed` holds `--allow-host` values: a name (any port) or `name:port` (that port only).
 */
export function isAllowedHost(header: string, allowed: ReadonlySet<string>): boolean {
  const name = hostName(header);
  if (name === "") return false;
  if (isLoopbackName(name)) return true;
  if (allowed.has(name) || allowed.has(name.replace(/^\[|\]$/g, ""))) return true;
  return allowed.size > 0 && allowed.has(header.trim().toLowerCase());
}

/** Checks a `--allow-host` value: a host name or address, optionally with `:port`; returns it in lower case, or why not. */
export function parseAllowedHost(value: string): { host: string } | { error: string } {
  const lower = value.trim().toLowerCase();
  const valid = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+|[0-9a-f:]+)(:\d{1,5})?$/.test(lower) && !lower.includes("://");
  if (valid && lower !== "") return { host: lower };
  return { error: `--allow-host ${JSON.stringify(value)} is not a host: give the name the requests are addressed to, such as abc.ngrok.app or abc.ngrok.app:443 (no scheme, no path)` };
}
