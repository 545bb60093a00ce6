/**
 * `endpoint-kit send <provider>.<event> <path>`: builds a provider's request for that event, signs
 * or encrypts it with keys from flags or the plugin's settings, delivers it (in-process, or to a
 * running `dev` with `--url`), and prints the answer and, for encrypted replies, what they decrypt to.
 */
import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { EXIT, EnvironmentError, InputError, UsageError } from "../errors.js";
import type { Project } from "../manifest/model.js";
import { findEntry, loadProject, UnreadablePathError } from "../project/load.js";
import { buildRequest, findEvent, missingKeys, renderProviderList, type Keys, type Provider, type ProviderEvent } from "../providers/index.js";
import { discordPublicKey } from "../providers/discord.js";
import { tamperBody } from "../providers/payload.js";
import { matchSetting, resolveKeys } from "../providers/settings-match.js";
import { loadSettings } from "../server/settings-file.js";
import { stableHookId } from "../server/hook-id.js";
import { declaredSettings } from "../settings/declared.js";
import type { Io } from "../terminal/io.js";
import { describeSources, renderReply, renderRequest, renderResponseHead, statusLine } from "../terminal/send-output.js";
import { deliverInProcess, deliverToUrl, targetUrl, type Delivered } from "./send-deliver.js";

export interface SendFlags {
  dir: string;
  secret: string[];
  secretSetting: string[];
  set: string[];
  header: string[];
  body?: string;
  url?: string;
  settings?: string;
  python?: string;
  timeout: number;
  include?: boolean;
  dryRun?: boolean;
  tamper?: boolean;
  stale?: boolean;
  list?: boolean;
}

/** Setting names that hold a Discord application's public key (perzeuss' webhook plugin among them). */
const DISCORD_PUBLIC_KEY_SETTINGS = ["discord_public_key", "public_key", "application_public_key", "signature_verification_key"];

/** `--secret v` names the event's first key; `--secret key=v` (a key of this provider) names that key. */
export function splitKeyFlags(values: string[], provider: Provider, event: ProviderEvent, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const names = provider.keys.map((k) => k.name);
  for (const value of values) {
    const m = /^([a-z_]+)=([\s\S]*)$/.exec(value);
    const key = m && names.includes(m[1]!) ? m[1]! : event.keys[0]!;
    if (key in out) throw new UsageError(`${flag} gives ${key} twice`, `with several keys, name them: ${names.map((n) => `${flag} ${n}=...`).join(" ")}`);
    out[key] = m && names.includes(m[1]!) ? m[2]! : value;
  }
  return out;
}

async function findPlugin(dir: string, cwd: string, optional: boolean): Promise<Project | undefined> {
  try {
    return await loadProject(await findEntry(resolve(cwd, dir)), cwd);
  } catch (error) {
    if (!(error instanceof UnreadablePathError)) throw error;
    if (optional) return undefined;
    throw new EnvironmentError(error.message, "give the plugin folder with --dir, or send to any server with --url");
  }
}

export async function runSend(spec: string | undefined, path: string | undefined, flags: SendFlags, io: Io): Promise<number> {
  if (flags.list) {
    io.stdout.write(renderProviderList());
    return EXIT.ok;
  }
  if (!spec || !path) throw new UsageError("send needs an event and a path: endpoint-kit send <provider>.<event> <path>", "list them with: endpoint-kit send --list");
  const found = findEvent(spec);
  if ("error" in found) throw new UsageError(found.error, `one of: ${found.known.join(", ")}`);
  const { provider, event } = found;

  const project = await findPlugin(flags.dir, io.cwd, flags.url !== undefined || flags.dryRun === true);
  const settings = project ? await loadSettings(project, flags.settings, io.cwd) : undefined;
  const declared = project ? declaredSettings(project.groups[0]).map((s) => s.name) : [];
  const { keys, sources } = resolveKeys(provider, event.keys, {
    given: splitKeyFlags(flags.secret, provider, event, "--secret"),
    settingFor: splitKeyFlags(flags.secretSetting, provider, event, "--secret-setting"),
    settings: settings?.values ?? {},
    declared,
  });
  for (const [key, setting] of Object.entries(splitKeyFlags(flags.secretSetting, provider, event, "--secret-setting"))) {
    if (!declared.includes(setting)) throw new UsageError(`--secret-setting ${setting}: the plugin declares no such setting`, declared.length > 0 ? `its settings: ${declared.join(", ")}` : `give ${key} with --secret instead`);
  }
  const missing = missingKeys(provider, event, keys);
  if (missing.length > 0) {
    const spec = provider.keys.filter((k) => missing.includes(k.name));
    throw new InputError(
      `${provider.name}.${event.name} needs ${spec.map((k) => `${k.name} (${k.description})`).join(" and ")}`,
      `none of the plugin's settings is named like ${spec.flatMap((k) => k.settingNames).join(", ") || "it"}${declared.length > 0 ? ` (it has ${declared.join(", ")})` : ""}; give it with --secret${missing.length > 1 || provider.keys.length > 1 ? ` ${missing[0]}=<value>` : " <value>"} or --secret-setting <name>`,
    );
  }
  if (provider.name === "discord") warnDiscordKey(keys, settings?.values ?? {}, declared, io);

  const body = flags.body === undefined ? undefined : await readBody(resolve(io.cwd, flags.body));
  let request;
  try {
    request = buildRequest(event, keys, { sets: flags.set, body }, { now: Date.now() - staleBy(provider, flags, io) * 1000, randomBytes: (n) => randomBytes(n) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (flags.header.length > 0) request = { ...request, headers: { ...request.headers, ...parseHeaders(flags.header) } };
  if (flags.tamper) {
    if (request.body.length === 0) throw new UsageError(`--tamper changes a body byte, and ${provider.name}.${event.name} has no body`);
    request = { ...request, body: tamperBody(request.body) };
    io.stderr.write(`tampered: one body byte changed after signing${event.bodyUnsigned ? ` (${provider.title} does not sign the body, so a plugin cannot notice)` : "; the plugin should reject this"}\n`);
  }
  const fullPath = path + (request.query ? `${path.includes("?") ? "&" : "?"}${request.query}` : "");
  const outgoing = { method: request.method, path: fullPath, headers: request.headers, body: request.body };
  const hookId = project ? await stableHookId(project) : undefined;
  // In-process there is no server to name: the path is what the plugin's router sees.
  const shownUrl = flags.url !== undefined ? targetUrl(flags.url, hookId, fullPath) : `/e/${hookId ?? "<hook_id>"}${fullPath.startsWith("/") ? "" : "/"}${fullPath}`;
  io.stderr.write(`${provider.name}.${event.name}: ${request.method} ${shownUrl}${flags.url === undefined && !flags.dryRun ? " (in-process)" : ""}\n${describeSources(sources).join("\n")}${sources.length > 0 ? "\n" : ""}`);
  if (flags.dryRun) {
    io.stdout.write(renderRequest(shownUrl, request));
    return EXIT.ok;
  }

  let delivered: Delivered;
  try {
    delivered = flags.url !== undefined
      ? await deliverToUrl(flags.url, hookId, outgoing)
      : await deliverInProcess({ dir: project!.root, ...(flags.settings !== undefined ? { settingsPath: resolve(io.cwd, flags.settings) } : {}), python: flags.python, timeoutMs: flags.timeout * 1000 }, outgoing, io);
  } catch (error) {
    if (flags.url !== undefined && error instanceof TypeError) throw new EnvironmentError(`cannot reach ${flags.url}: ${(error.cause as Error | undefined)?.message ?? error.message}`, "is `endpoint-kit dev` running there?");
    throw error;
  }
  return report(delivered, provider, keys, request.expect, flags, io);
}

function report(delivered: Delivered, provider: Provider, keys: Keys, expect: string | undefined, flags: SendFlags, io: Io): number {
  const { response, body } = delivered;
  io.stderr.write(`<- ${statusLine(response)}\n`);
  if (flags.include) io.stdout.write(renderResponseHead(response));
  io.stdout.write(body);
  const text = Buffer.from(body).toString("utf8");
  if (body.length > 0 && !text.endsWith("\n")) io.stdout.write("\n");
  let ok = response.status < 400;
  const reading = provider.readReply?.(body, keys);
  if (reading?.encrypted) {
    io.stdout.write(renderReply(reading));
    if (reading.signatureValid === false || reading.plaintext === undefined) ok = false;
  }
  if (expect !== undefined) {
    const answered = (reading?.plaintext ?? text).includes(expect);
    io.stderr.write(answered ? "handshake: the answer carries what the provider expects\n" : `handshake: the provider expects the answer to carry ${JSON.stringify(expect)}; it would fail\n`);
    ok &&= answered;
  }
  return ok ? EXIT.ok : EXIT.invalid;
}

function warnDiscordKey(keys: Keys, values: Record<string, unknown>, declared: string[], io: Io): void {
  const publicKey = discordPublicKey(keys.private_key!);
  io.stderr.write(`discord: signing with the key whose public key is ${publicKey}\n`);
  const setting = matchSetting(DISCORD_PUBLIC_KEY_SETTINGS, declared);
  const value = setting === undefined ? undefined : values[setting];
  if (setting !== undefined && typeof value === "string" && value.toLowerCase() !== publicKey) {
    io.stderr.write(`warning: setting "${setting}" holds another public key; put ${publicKey} there (or sign with its private key: --secret <hex seed>)\n`);
  }
}

/** `-H "Name: value"` as curl takes it; names lower-cased like the provider's own headers. */
export function parseHeaders(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(":");
    const name = colon > 0 ? value.slice(0, colon).trim() : "";
    if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) throw new UsageError(`-H ${JSON.stringify(value)}: expected "Name: value"`);
    out[name.toLowerCase()] = value.slice(colon + 1).trim();
  }
  return out;
}

/** With `--stale`: how far back to date the request, a minute past the provider's window. */
function staleBy(provider: Provider, flags: SendFlags, io: Io): number {
  if (!flags.stale) return 0;
  if (provider.toleranceSeconds === undefined) {
    io.stderr.write(`stale: ${provider.title} signs no timestamp window, so nothing can reject an old request by its age; replays are caught by event ids\n`);
    return 0;
  }
  io.stderr.write(`stale: dated ${provider.toleranceSeconds + 60} s back, past the provider's ${provider.toleranceSeconds} s window; the plugin should reject it\n`);
  return provider.toleranceSeconds + 60;
}

async function readBody(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new EnvironmentError(`cannot read --body ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
