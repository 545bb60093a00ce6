/**
 * Collects `init`'s answers: a flag wins; otherwise the question is asked on a terminal; otherwise
 * (`--yes`, or no terminal) the default is taken, except for the answers that have none worth
 * guessing without a terminal (folder, name, language), which are a usage error naming the flag.
 * Every answer, from a flag or a prompt, goes through the same check before anything is written.
 */
import { basename, resolve } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { HTTP_METHODS, type HttpMethod } from "../manifest/patterns.js";
import type { Ask } from "../terminal/prompts.js";
import { INIT_SETTING_TYPES, LANGUAGES, type InitSettingType, type Language, type PluginAnswers, type SettingAnswer } from "./answers.js";
import * as check from "./names.js";
import { formatCreatedAt } from "./values.js";

/** Flags `init` reads (the shape commander gives). */
export interface InitAnswerFlags {
  name?: string;
  language?: string;
  author?: string;
  description?: string;
  endpoint?: string;
  path?: string;
  method?: string;
  setting?: string[];
  /** False with `--no-settings`. */
  settings?: boolean;
  yes?: boolean;
}

export interface AnswerContext {
  cwd: string;
  /** Undefined when there is no terminal to ask on (or with `--yes`). */
  ask: Ask | undefined;
  yes: boolean;
  env: Record<string, string | undefined>;
  now: Date;
}

export const DEFAULT_DIR = "endpoint-plugin";
export const DEFAULT_ENDPOINT = { name: "hello", path: "/hello/<name>", method: "GET" as HttpMethod };
export const DEFAULT_SETTINGS: readonly SettingAnswer[] = [{ name: "api_key", type: "secret-input", required: false }];
const DEFAULT_DESCRIPTION = "Endpoints for Dify";

function missing(flag: string): UsageError {
  return new UsageError(`missing ${flag} (no terminal to ask on)`, `pass ${flag}, or --yes to take the defaults`);
}

/** A flag's value checked, or the question asked, or the default. */
async function answerText(
  ctx: AnswerContext,
  flag: string,
  given: string | undefined,
  question: { name: string; message: string; default: string; required?: boolean },
  validate: (value: string) => string | undefined,
): Promise<string> {
  if (given !== undefined) {
    const error = validate(given);
    if (error !== undefined) throw new InputError(error);
    return given;
  }
  if (ctx.ask !== undefined) return ctx.ask.text({ ...question, validate });
  if (question.required === true && !ctx.yes) throw missing(flag);
  return question.default;
}

/** The folder to create the plugin in. */
export async function answerDir(ctx: AnswerContext, given: string | undefined): Promise<string> {
  const validate = (value: string) => (value.trim() === "" ? "the folder is empty" : /[\0\n\r]/.test(value) ? `invalid folder ${check.quote(value)}` : undefined);
  return answerText(ctx, "the folder argument (endpoint-kit init <dir>)", given, { name: "dir", message: "Folder to create the plugin in", default: DEFAULT_DIR, required: true }, validate);
}

/** Every answer for a new plugin in `dir`. */
export async function answerPlugin(ctx: AnswerContext, dir: string, flags: InitAnswerFlags): Promise<PluginAnswers> {
  checkGivenFlags(flags);
  const folder = basename(resolve(ctx.cwd, dir));
  const name = await answerText(ctx, "--name", flags.name, { name: "name", message: "Plugin name", default: check.suggestPluginName(folder), required: true }, check.checkPluginName);
  const language = await answerLanguage(ctx, flags.language);
  const author = await answerText(ctx, "--author", flags.author, { name: "author", message: "Author (your Dify marketplace name)", default: check.suggestAuthor(ctx.env.USER ?? ctx.env.USERNAME) }, check.checkAuthor);
  const description = await answerText(ctx, "--description", flags.description, { name: "description", message: "Description", default: DEFAULT_DESCRIPTION }, check.checkDescription);
  const endpointName = await answerText(ctx, "--endpoint", flags.endpoint, { name: "endpoint", message: "First endpoint's name", default: DEFAULT_ENDPOINT.name }, (v) => check.checkEndpointName(v, language));
  const path = await answerText(ctx, "--path", flags.path, { name: "path", message: "Its path (a werkzeug rule)", default: DEFAULT_ENDPOINT.path }, check.checkPath);
  const method = await answerMethod(ctx, flags.method);
  const settings = await answerSettings(ctx, flags);
  return {
    name,
    author,
    description,
    language,
    endpoint: { name: endpointName, path, method },
    settings,
    createdAt: formatCreatedAt(ctx.now),
  };
}

/** Refuses a bad flag before the first question, so nobody answers prompts only to hit an error. */
function checkGivenFlags(flags: InitAnswerFlags): void {
  const language = flags.language === "python" ? "python" : "typescript";
  const checks: Array<[string | undefined, (value: string) => string | undefined]> = [
    [flags.name, check.checkPluginName],
    [flags.author, check.checkAuthor],
    [flags.description, check.checkDescription],
    [flags.endpoint, (v) => check.checkEndpointName(v, language)],
    [flags.path, check.checkPath],
    [flags.method, check.checkMethod],
  ];
  for (const [value, validate] of checks) {
    const error = value === undefined ? undefined : validate(value);
    if (error !== undefined) throw new InputError(error);
  }
}

async function answerLanguage(ctx: AnswerContext, given: string | undefined): Promise<Language> {
  if (given !== undefined) {
    if (!(LANGUAGES as readonly string[]).includes(given)) throw new InputError(`unknown language ${check.quote(given)}: use python or typescript`);
    return given as Language;
  }
  if (ctx.ask !== undefined) {
    return ctx.ask.select<Language>({
      name: "language",
      message: "Language of the endpoints",
      choices: [
        { value: "python", description: "a real Dify plugin: Dify runs Python endpoints" },
        { value: "typescript", description: "runs under endpoint-kit dev" },
      ],
      default: "python",
    });
  }
  if (!ctx.yes) throw missing("--language");
  return "python";
}

export async function answerMethod(ctx: Pick<AnswerContext, "ask">, given: string | undefined): Promise<HttpMethod> {
  if (given !== undefined) {
    const error = check.checkMethod(given);
    if (error !== undefined) throw new InputError(error);
    return given as HttpMethod;
  }
  if (ctx.ask !== undefined) {
    return ctx.ask.select<HttpMethod>({ name: "method", message: "Its HTTP method", choices: HTTP_METHODS.map((value) => ({ value })), default: DEFAULT_ENDPOINT.method });
  }
  return DEFAULT_ENDPOINT.method;
}

async function answerSettings(ctx: AnswerContext, flags: InitAnswerFlags): Promise<SettingAnswer[]> {
  const specs = flags.setting ?? [];
  if (specs.length > 0) {
    const settings: SettingAnswer[] = [];
    for (const spec of specs) {
      const parsed = check.parseSettingSpec(spec, settings.map((s) => s.name));
      if ("error" in parsed) throw new InputError(parsed.error);
      settings.push(parsed.setting);
    }
    return settings;
  }
  if (flags.settings === false) return [];
  const ask = ctx.ask;
  if (ask === undefined) return [...DEFAULT_SETTINGS];
  // Pressing Enter all the way gives what --yes gives: one optional api_key secret.
  const settings: SettingAnswer[] = [];
  while (
    await ask.confirm({
      name: "addSetting",
      message: settings.length === 0 ? "Add a setting (a value the Dify user fills in, e.g. an API key)?" : "Add another setting?",
      default: settings.length === 0,
    })
  ) {
    const taken = settings.map((s) => s.name);
    const suggested = settings.length === 0 ? (DEFAULT_SETTINGS[0]?.name ?? "api_key") : "";
    const name = await ask.text({ name: "settingName", message: "Setting name", default: suggested, validate: (v) => check.checkSettingName(v, taken) });
    const type = await ask.select<InitSettingType>({
      name: "settingType",
      message: "Setting type",
      choices: INIT_SETTING_TYPES.filter((t) => check.checkSettingType(name, t) === undefined).map((value) => ({ value })),
      default: "secret-input",
    });
    const required = await ask.confirm({ name: "settingRequired", message: "Required?", default: false });
    settings.push({ name, type, required });
  }
  return settings;
}
