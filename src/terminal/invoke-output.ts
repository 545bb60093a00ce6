/**
 * What `invoke` prints besides the body: the status line and headers for `-i` (as curl prints them),
 * and the parsing of `-H 'Name: value'`.
 */
import { STATUS_CODES } from "node:http";

/** `HTTP/1.1 200 OK`, the headers, a blank line. */
export function formatHead(response: Response): string {
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}`.trimEnd()];
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** `Name: value` as a pair, or undefined when it is not a header. */
export function parseHeaderFlag(text: string): [string, string] | undefined {
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  const name = text.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return undefined;
  return [name, text.slice(colon + 1).trim()];
}
