/**
 * What `dev` says when it listens on more than loopback (`--host 0.0.0.0`): the port is reachable
 * from the network, and which Host names other machines must be allowed with `--allow-host`.
 */
import { networkInterfaces } from "node:os";
import { isLoopbackName } from "./host-check.js";

const ANY = new Set(["0.0.0.0", "::", "[::]", "::0"]);

/** The host to print in URLs: a wildcard bind answers on loopback, and only loopback passes the Host check by default. */
export function urlHost(bind: string): string {
  if (ANY.has(bind)) return "127.0.0.1";
  return bind.includes(":") && !bind.startsWith("[") ? `[${bind}]` : bind;
}

/** The warning for a bind that is not loopback, or undefined. */
export function exposureWarning(bind: string, port: number, allowedHosts: ReadonlySet<string>): { message: string; hint: string } | undefined {
  const name = bind.replace(/^\[|\]$/g, "").toLowerCase();
  if (isLoopbackName(name) || name === "::1") return undefined;
  const addresses = ANY.has(bind) ? localAddresses() : [bind];
  const missing = addresses.filter((address) => !allowedHosts.has(address.toLowerCase()));
  const message = `listening on ${bind}:${port}: the endpoints, with your real settings, are reachable from the network`;
  const hint =
    missing.length > 0
      ? `requests must name an allowed Host: add ${missing.map((a) => `--allow-host ${a.includes(":") ? `[${a}]` : a}`).join(" ")} for other machines to reach http://${missing[0]!.includes(":") ? `[${missing[0]}]` : missing[0]}:${port}/, or bind to 127.0.0.1 and use a tunnel`
      : "only the Host names given with --allow-host are accepted";
  return { message, hint };
}

function localAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (!info.internal && info.family === "IPv4") out.push(info.address);
  }
  return out;
}
