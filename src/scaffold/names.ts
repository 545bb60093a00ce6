/**
 * Checks every answer before anything is written, with the patterns Dify's parsers enforce. Each
 * check returns a message, or undefined when the value is fine, so prompts use them as `validate`
 * functions and flags go through the same code.
 */
import { AUTHOR_PATTERN, HTTP_METHODS, isHttpMethod, looksSecret, PLUGIN_NAME_PATTERN } from "../manifest/patterns.js";
import { INIT_SETTING_TYPES, type InitSettingType, type Language, type SettingAnswer } from "./answers.js";
import { checkRule } from "./rule-check.js";

/** Endpoint names become file names and (in Python) module names: `endpoints.<name>`. */
const ENDPOINT_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
/** Setting names: Dify accepts almost anything, `init` keeps to names that are safe everywhere. */
const SETTING_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u2028\u2029]/;

const PYTHON_KEYWORDS = new Set(
  ("False None True and as assert async await break class continue def del elif else except finally for from global " +
    "if import in is lambda nonlocal not or pass raise return try while with yield").split(" "),
);

/** Shows a value the way a user can see every character of it (quotes, newlines, NUL). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

export function checkPluginName(value: string): string | undefined {
  if (PLUGIN_NAME_PATTERN.test(value)) return undefined;
  return `invalid plugin name ${quote(value)}: use 1 to 128 lower case letters, digits, "_" or "-"`;
}

export function checkAuthor(value: string): string | undefined {
  if (AUTHOR_PATTERN.test(value)) return undefined;
  return `invalid author ${quote(value)}: use 1 to 64 lower case letters, digits, "_" or "-"`;
}

export function checkEndpointName(value: string, language: Language): string | undefined {
  if (!ENDPOINT_NAME_PATTERN.test(value)) {
    return `invalid endpoint name ${quote(value)}: start with a lower case letter, then up to 63 lower case letters, digits or "_"`;
  }
  if (language === "python" && PYTHON_KEYWORDS.has(value)) {
    return `invalid endpoint name ${quote(value)}: it is a Python keyword, so endpoints/${value}.py could not be imported`;
  }
  return undefined;
}

export function checkDescription(value: string): string | undefined {
  if (value.trim() === "") return "the description is empty";
  if (value.length > 1000) return "the description is longer than 1000 characters";
  if (CONTROL_CHARACTERS.test(value)) return "the description must be one line without control characters";
  return undefined;
}

export function checkMethod(value: string): string | undefined {
  if (isHttpMethod(value)) return undefined;
  if (isHttpMethod(value.toUpperCase())) return `method ${quote(value)} must be upper case: ${value.toUpperCase()}`;
  return `method ${quote(value)} is not one Dify matches: use one of ${HTTP_METHODS.join(", ")}`;
}

/** Checks a werkzeug rule exactly as `validate` does. */
export function checkPath(value: string): string | undefined {
  if (CONTROL_CHARACTERS.test(value)) return `path ${quote(value)} contains a control character`;
  return checkRule(value);
}

export function checkSettingName(value: string, taken: readonly string[] = []): string | undefined {
  if (!SETTING_NAME_PATTERN.test(value)) {
    return `invalid setting name ${quote(value)}: start with a lower case letter, then up to 63 lower case letters, digits, "_" or "-"`;
  }
  // Dify's endpoint form already has a field called `name`.
  if (value === "name") return 'the setting name "name" collides with the endpoint name field of Dify\'s form';
  if (taken.includes(value)) return `the setting ${quote(value)} is already declared`;
  return undefined;
}

export function isInitSettingType(value: string): value is InitSettingType {
  return (INIT_SETTING_TYPES as readonly string[]).includes(value);
}

export function checkSettingType(name: string, type: string): string | undefined {
  if (type === "select") return `setting ${quote(name)}: a select needs options; add it to the group file by hand`;
  if (!isInitSettingType(type)) return `setting ${quote(name)}: unknown type ${quote(type)}: use one of ${INIT_SETTING_TYPES.join(", ")}`;
  if (type === "text-input" && looksSecret(name)) {
    return `setting ${quote(name)} looks like a secret: use the type secret-input so Dify hides it`;
  }
  return undefined;
}

/** Parses `--setting name:type[:required]`. */
export function parseSettingSpec(spec: string, taken: readonly string[]): { setting: SettingAnswer } | { error: string } {
  const parts = spec.split(":");
  const [name = "", type = "secret-input", flag, ...rest] = parts;
  if (parts.length < 2 || rest.length > 0 || (flag !== undefined && flag !== "required" && flag !== "optional")) {
    return { error: `invalid --setting ${quote(spec)}: write name:type or name:type:required (e.g. api_key:secret-input:required)` };
  }
  const error = checkSettingName(name, taken) ?? checkSettingType(name, type);
  if (error !== undefined) return { error };
  return { setting: { name, type: type as InitSettingType, required: flag === "required" } };
}

/** A plugin name made from a folder name: `My Plugin!` becomes `my-plugin`. */
export function suggestPluginName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "")
    .slice(0, 128);
  return name === "" ? "endpoint-plugin" : name;
}

/** An author name made from the login name, or `author`. */
export function suggestAuthor(login: string | undefined): string {
  const author = suggestPluginName(login ?? "").slice(0, 64);
  return author === "endpoint-plugin" ? "author" : author;
}

/** `girls_talk` becomes `GirlsTalkEndpoint`: never `Endpoint` itself, which it extends. */
export function toClassName(endpointName: string): string {
  const pascal = endpointName
    .split("_")
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
  return `${pascal}Endpoint`;
}

/** `slack-bot` becomes `Slack Bot`. */
export function toLabel(name: string): string {
  const label = name
    .split(/[-_]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(" ");
  return label === "" ? name : label;
}
