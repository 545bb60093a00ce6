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

export function isAllowedHost(header: string, allowed: ReadonlySet<string>): boolean {
  const name = hostName(header);
  if (name === "") return false;
  if (LOOPBACK.has(name) || name.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(name)) return true;
  return allowed.has(name) || allowed.has(name.replace(/^\[|\]$/g, ""));
}
