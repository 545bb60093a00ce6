/**
 * Who may reach the inspector. Only a loopback `Host` (a name given with `--allow-host`, such as a
 * tunnel's, goes to the plugin's routing as before, so a tunnel never exposes the records); and for
 * the API, only this page or a non-browser caller: an `Origin` other than this server's, or a
 * `Sec-Fetch-Site` other than same-origin/none, cannot read, replay or clear. Stricter than the
 * endpoints' cross-site rule (`server/origin-check.ts`), which lets other local front ends through.
 */
import { hostName, isLoopbackName } from "../server/host-check.js";

export const INSPECTOR_PREFIX = "/_endpoint-kit";

/** The request is for the inspector: its path and a loopback Host. */
export function isInspectorRequest(path: string, host: string): boolean {
  if (path !== INSPECTOR_PREFIX && !path.startsWith(`${INSPECTOR_PREFIX}/`)) return false;
  return isLoopbackName(hostName(host));
}

/** Why a request to the API is refused as cross-site, or undefined when it may go on. */
export function crossSiteReason(headers: { origin?: string | null; secFetchSite?: string | null }, host: string): string | undefined {
  const site = headers.secFetchSite?.trim().toLowerCase();
  if (site && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site: ${site}`;
  const origin = headers.origin?.trim().toLowerCase();
  if (origin === undefined || origin === "") return undefined;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `Origin: ${origin}`;
  }
  if (parsed.protocol !== "http:" || parsed.host !== host.trim().toLowerCase()) return `Origin: ${origin}`;
  return undefined;
}
