/**
 * What `send` prints, as pure functions: the request it made and where each key came from (stderr),
 * the answer (stdout; with `-i` the status line and headers too), and for encrypted replies the
 * plaintext and whether the reply's signature checks.
 */
import { STATUS_CODES } from "node:http";
import type { ProviderRequest, ReplyReading } from "../providers/index.js";
import type { KeySource } from "../providers/settings-match.js";

export function describeSources(sources: KeySource[]): string[] {
  return sources.map((s) => {
    switch (s.from) {
      case "flag":
        return `  ${s.key}: from --secret`;
      case "setting":
        return `  ${s.key}: from setting "${s.setting}"`;
      case "fallback":
        return `  ${s.key}: the built-in test key`;
      case "missing":
        return `  ${s.key}: none${s.setting ? ` (setting "${s.setting}" is empty)` : ""}`;
    }
  });
}

/** The request as text, for `--dry-run`: request line, headers, blank line, body. */
export function renderRequest(url: string, request: ProviderRequest): string {
  const headers = Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`);
  const body = Buffer.from(request.body).toString("utf8");
  return [`${request.method} ${url}`, ...headers, "", body].join("\n") + (body.endsWith("\n") ? "" : "\n");
}

/** `200 OK`: an in-process Response has no status text, so the standard reason phrase is used. */
export function statusLine(response: Response): string {
  return `${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}`.trimEnd();
}

/** `HTTP/1.1 200 OK` and the headers, for `-i`. */
export function renderResponseHead(response: Response): string {
  const lines = [`HTTP/1.1 ${statusLine(response)}`];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  return lines.join("\n") + "\n\n";
}

export function renderReply(reading: ReplyReading): string {
  if (!reading.encrypted) return "";
  const lines: string[] = [];
  const signature = reading.signatureValid === undefined ? "the reply carries no signature" : reading.signatureValid ? "the reply's signature checks" : "the reply's signature does NOT check";
  lines.push(`--- encrypted reply: ${signature}${reading.problem ? `; ${reading.problem}` : ""}`);
  if (reading.plaintext !== undefined) lines.push(reading.plaintext);
  return lines.join("\n") + "\n";
}
