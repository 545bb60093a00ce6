/**
 * The request-target as the daemon reads it: path and query split (absolute-form targets too), and
 * the `/e/<hook_id>` prefix taken off the path. Paths stay exactly as sent, percent-encoding and all:
 * the router decodes them as werkzeug does.
 */

/** Splits the raw request-target into path and query (absolute-form targets too). */
export function splitTarget(target: string): { path: string; query: string } {
  let rest = target;
  if (!rest.startsWith("/")) {
    // absolute-form: `http://host:port/path?query`; the path starts after the authority.
    const scheme = rest.indexOf("//");
    const authority = scheme < 0 ? 0 : scheme + 2;
    const slash = rest.indexOf("/", authority);
    const question = rest.indexOf("?", authority);
    rest = slash >= 0 && (question < 0 || slash < question) ? rest.slice(slash) : `/${question >= 0 ? rest.slice(question) : ""}`;
  }
  const q = rest.indexOf("?");
  return q < 0 ? { path: rest, query: "" } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/** The path the router matches: `/e/<hook_id>/x` and the bare `/x` are the same endpoint. */
export function stripHookPrefix(path: string, hookId: string): string {
  // Most paths are bare: no prefix string is built for them.
  if (!path.startsWith("/e/")) return path;
  const prefix = `/e/${hookId}`;
  if (path === prefix) return "/";
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}
