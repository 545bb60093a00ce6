/**
 * The werkzeug rule checks `init` applies to a path answer (the same parser `validate` uses), and an
 * example request path for a rule, made for the generated README and test and proved by the router.
 */
import { parseConverterArgs } from "../router/converter-args.js";
import { createRouter, parseRule, type RuleVariable } from "../router/index.js";

/** A message when `rule` is not one `init` should write, undefined when it is fine. */
export function checkRule(rule: string): string | undefined {
  const parsed = parseRule(rule);
  if (parsed.kind === "error") {
    const hint = parsed.hint === undefined ? "" : ` (${parsed.hint})`;
    return `path ${JSON.stringify(rule)}: ${parsed.message} at column ${parsed.offset + 1}${hint}`;
  }
  const warning = parsed.warnings[0];
  if (warning !== undefined) return `path ${JSON.stringify(rule)}: ${warning.message} at column ${warning.offset + 1}`;
  if (parsed.isBranch && rule !== "/") {
    return `path ${JSON.stringify(rule)} ends with "/": on Dify, callers who leave the slash out get a 404; remove it`;
  }
  return undefined;
}

/** A request path that matches a rule, and the values the handler then receives. */
export interface RuleExample {
  path: string;
  /** As a TypeScript endpoint sees them: numbers for `int` and `float`, strings otherwise. */
  values: Record<string, string | number>;
  /** False when no sample satisfied the rule's converter arguments (the path is a best guess). */
  matched: boolean;
}

const SAMPLES: Record<string, readonly string[]> = {
  default: ["world", "abc", "ab", "a", "hello-world"],
  int: ["1", "42", "7", "10", "100", "1000", "0001", "01", "001", "00001", "0"],
  float: ["1.5", "0.5", "10.25", "100.5"],
  uuid: ["123e4567-e89b-12d3-a456-426614174000"],
  path: ["docs/readme", "docs"],
};

function samplesFor(rule: string, variable: RuleVariable): readonly string[] {
  if (variable.converter === "any") {
    const text = rule.slice(variable.offset, variable.offset + variable.length);
    const args = parseConverterArgs(text.slice(text.indexOf("(") + 1, text.lastIndexOf(")")));
    if (!args.ok) return ["x"];
    return args.args.map((arg) => (arg.value.type === "str" ? arg.value.value : "")).filter((word) => /^[\w.-]+$/.test(word));
  }
  if (variable.converter === "default" || variable.converter === "string") {
    const base = SAMPLES.default ?? [];
    return [...base, ...Array.from({ length: 64 }, (_, i) => "a".repeat(i + 1))];
  }
  return SAMPLES[variable.converter] ?? ["x"];
}

/** Builds an example path for a valid rule: each variable takes the first sample its converter accepts. */
export function exampleFor(rule: string, method: string): RuleExample {
  const parsed = parseRule(rule);
  if (parsed.kind === "error") return { path: rule, values: {}, matched: false };
  let path = "";
  let at = 0;
  parsed.variables.forEach((variable, index) => {
    const converter = parsed.converters[index];
    const samples = samplesFor(rule, variable);
    const fits = (sample: string) =>
      converter !== undefined && new RegExp(`^(?:${converter.regex})$`, "u").test(sample) && converter.toValue(sample) !== undefined;
    path += rule.slice(at, variable.offset) + (samples.find(fits) ?? samples[0] ?? "x");
    at = variable.offset + variable.length;
  });
  path = (path + rule.slice(at)).replace(/\/{2,}/g, "/");
  const result = createRouter([{ rule, method, endpoint: "example" }]).match(path, method);
  if (result.kind !== "ok") return { path, values: {}, matched: false };
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(result.values)) {
    values[name] = value.type === "int" || value.type === "float" ? Number(value.text) : value.text;
  }
  return { path, values, matched: true };
}
