/**
 * `{{name}}` substitution over an explicit list of variables, in one pass: a value is never scanned
 * again, so a user's answer that looks like `{{other}}` is written as it is. An unknown variable is
 * an error. Values are escaped for the file they land in (see `escaperFor`).
 */

export const TEMPLATE_VARIABLES = [
  "plugin_name",
  "plugin_label",
  "author",
  "description",
  "created_at",
  "language",
  "group_file",
  "endpoint_name",
  "endpoint_class",
  "endpoint_path",
  "endpoint_method",
  "example_url_path",
  "example_values_json",
  "example_curl",
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Readonly<Record<TemplateVariable, string>>;

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

export type RenderResult = { ok: true; text: string } | { ok: false; variable: string; offset: number };

function isTemplateVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

/** Replaces every `{{name}}`; the first unknown name makes it fail with its offset. */
export function renderTemplate(text: string, values: TemplateValues, escape: (value: string) => string = (v) => v): RenderResult {
  let unknown: { variable: string; offset: number } | undefined;
  const rendered = text.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    if (isTemplateVariable(name)) return escape(values[name]);
    unknown ??= { variable: name, offset };
    return whole;
  });
  return unknown === undefined ? { ok: true, text: rendered } : { ok: false, ...unknown };
}

/** Inside a double-quoted string of JSON, YAML, JavaScript or Python, JSON's escapes are all valid. */
const escapeForQuotedString = (value: string): string => JSON.stringify(value).slice(1, -1);
const escapeForXml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

const QUOTED_STRING_FILES = /\.(ya?ml|json|[cm]?[jt]s|py)$/;
const XML_FILES = /\.(svg|xml|html?)$/;

/**
 * How values are escaped in a file: templates put them inside double-quoted strings in YAML, JSON,
 * JavaScript, TypeScript and Python, so a quote or backslash in an answer cannot break the file;
 * markup gets entities; anything else (Markdown, text) takes values as they are.
 */
export function escaperFor(path: string): (value: string) => string {
  if (QUOTED_STRING_FILES.test(path)) return escapeForQuotedString;
  if (XML_FILES.test(path)) return escapeForXml;
  return (value) => value;
}
