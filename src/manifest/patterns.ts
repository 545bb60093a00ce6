/**
 * The name and value patterns Dify's parsers enforce, shared by `validate` (rules) and `init`
 * (checking answers before anything is written).
 */

/** `version` and `meta.version`: `^\d{1,4}(\.\d{1,4}){2}(-\w{1,16})?$`. */
export const VERSION_PATTERN = /^\d{1,4}(\.\d{1,4}){2}(-\w{1,16})?$/;
/** Plugin `name`: lower case letters, digits, `_` and `-`, 1 to 128 characters. */
export const PLUGIN_NAME_PATTERN = /^[a-z0-9_-]{1,128}$/;
/** Plugin `author`: lower case letters, digits, `_` and `-`, 1 to 64 characters. */
export const AUTHOR_PATTERN = /^[a-z0-9_-]{1,64}$/;
/** Methods Dify matches; anything else (PATCH, ANY) never matches a request. */
export const HTTP_METHODS = ["HEAD", "GET", "POST", "PUT", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** Setting types that exist in Dify's code. */
export const SETTING_TYPES = [
  "secret-input",
  "text-input",
  "select",
  "boolean",
  "app-selector",
  "model-selector",
  "array[tools]",
] as const;
/** Locales Dify's I18nObject knows; others are dropped at run time. */
export const LOCALES = ["en_US", "zh_Hans", "ja_JP", "pt_BR"] as const;

/** Tags Dify's plugin list knows (`manifest.tags`). */
export const TAGS = ["search", "image", "videos", "weather", "finance", "design", "travel", "social", "news", "medical", "productivity", "education", "business", "entertainment", "utilities", "agent", "rag", "other", "trigger"] as const;
/** Architectures a plugin may declare in `meta.arch`. */
export const ARCHES = ["amd64", "arm64"] as const;
/** `meta.runner.language`: Dify runs only Python; endpoint-kit also serves TypeScript locally. */
export const RUNNER_LANGUAGES = ["python", "typescript"] as const;
/** RFC 3339 date-time, as `created_at` must be written. */
export const RFC3339_PATTERN = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
/** The parts a selector's `scope` may join with `&`, by setting type. */
export const SCOPES: Readonly<Record<string, readonly string[]>> = {
  "app-selector": ["all", "chat", "workflow", "completion"],
  "model-selector": ["llm", "text-embedding", "rerank", "tts", "speech2text", "moderation", "vision", "document", "tool-call"],
};
/** Source file extensions by language (`extra.<language>.source`). */
export const SOURCE_EXTENSIONS = { python: [".py"], typescript: [".ts", ".mts", ".js", ".mjs"] } as const;

export function isHttpMethod(value: string): value is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(value);
}

/** Words in a setting name that say it holds a secret (`api_key`, `botToken`, `client-secrets`). */
const SECRET_WORDS = new Set(["key", "keys", "token", "tokens", "secret", "secrets", "password", "passwords", "passwd", "pwd", "apikey"]);

/**
 * Whether a setting name looks like it holds a secret, so it should be a `secret-input` (Dify then
 * encrypts and masks it). Whole words only, split at `_`, `-`, digits and camelCase, so `monkey` and
 * `tokenizer` are not secrets; `passwd` and `apikey` are, inside longer names too. Shared by `init`
 * (which refuses such a name as a text-input) and `validate` (rule `setting-secret`).
 */
export function looksSecret(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z]+/);
  return words.some((word) => SECRET_WORDS.has(word)) || /apikey|passwd|password/i.test(name);
}
