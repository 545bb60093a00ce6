/**
 * Parses a werkzeug URL rule (`/items/<int(min=1):id>`) into the parts the matcher uses, or the
 * first error werkzeug would raise when the rule is added to a `Map`, positioned in the rule text.
 * The manifest linter reports these errors; `createRouter` skips rules that have one. A few
 * arguments werkzeug accepts but that break every request reaching the rule (a string `min`,
 * `maxlength` below `minlength`, a negative `length`) are errors here too.
 */

import { parseConverterArgs } from "./converter-args.js";
import { CONVERTER_NAMES, createConverter, type Converter, type ConverterError } from "./converters.js";
import { buildRuleParts, type RulePart, type RuleToken } from "./rule-parts.js";
import { suggestName, unambiguousName } from "./suggest.js";

/** A problem at `offset` (0-based, UTF-16 units) spanning `length` characters of the rule. */
export interface RuleIssue {
  message: string;
  offset: number;
  length: number;
  hint?: string;
}

export interface RuleSyntaxError extends RuleIssue {
  kind: "error";
  /** The text that certainly belongs at `offset..offset+length` (an unambiguous converter typo). */
  replacement?: string;
}

/** One `<converter(args):name>` part of a rule. */
export interface RuleVariable {
  name: string;
  /** As written; `default` when omitted. */
  converter: string;
  offset: number;
  length: number;
}

export interface ParsedRule {
  kind: "rule";
  rule: string;
  /** Ends with `/`: requested without it, werkzeug redirects. */
  isBranch: boolean;
  variables: RuleVariable[];
  /** Converters in the order of `variables`. */
  converters: Converter[];
  parts: RulePart[];
  /** Accepted by werkzeug but surely a mistake. */
  warnings: RuleIssue[];
}

// werkzeug's `_part_re`; Python's `.` does not match a newline.
const PART_RE = /(?:(\/)|([^</]+)|(?:<(?:([a-zA-Z_][a-zA-Z0-9_]*)(?:\(([^\n]*?)\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>))/uy;
// Names Python refuses as function parameters when werkzeug compiles the rule's URL builder.
const RESERVED_NAMES = new Set(["None", "True", "False", "__debug__"]);

/** Merges `//` as werkzeug does before parsing, keeping where each merged character came from. */
function mergeSlashes(rule: string): { text: string; origin: number[] } {
  let text = "";
  const origin: number[] = [];
  for (let i = 0; i < rule.length; i += 1) {
    if (rule[i] === "/" && rule[i - 1] === "/") continue;
    text += rule[i];
    origin.push(i);
  }
  origin.push(rule.length);
  return { text, origin };
}

function describeMalformed(text: string, pos: number): { length: number; message: string; hint: string } {
  const close = text.indexOf(">", pos);
  const length = (close === -1 ? text.length : close + 1) - pos;
  const inner = text.slice(pos + 1, close === -1 ? text.length : close);
  const name = inner.slice(inner.lastIndexOf(":") + 1);
  let hint = "write <name> or <converter(args):name>";
  if (close === -1) hint = 'close the variable with ">"';
  else if (inner.trim() === "") hint = "a variable needs a name: <name> or <converter:name>";
  else if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) hint = "variable names are letters, digits and _, and do not start with a digit";
  return { length, message: `malformed rule: cannot parse "${text.slice(pos, pos + length)}"`, hint };
}

/** Parses a rule, or returns werkzeug's first error for it. */
export function parseRule(rule: string): ParsedRule | RuleSyntaxError {
  if (!rule.startsWith("/")) {
    return { kind: "error", message: `rule "${rule}" must start with a slash`, offset: 0, length: Math.min(1, rule.length), hint: `write "/${rule}"` };
  }
  const { text, origin } = mergeSlashes(rule);
  const at = (start: number, length: number) => {
    const offset = origin[start] ?? rule.length;
    return { offset, length: (origin[start + length] ?? rule.length) - offset };
  };
  const fail = (start: number, length: number, message: string, hint?: string): RuleSyntaxError =>
    ({ kind: "error", message, ...at(start, length), ...(hint === undefined ? {} : { hint }) });

  const tokens: RuleToken[] = [];
  const variables: RuleVariable[] = [];
  const converters: Converter[] = [];
  const warnings: RuleIssue[] = [];
  let pos = 0;
  while (pos < text.length) {
    PART_RE.lastIndex = pos;
    const m = PART_RE.exec(text);
    if (m === null) {
      const { length, message, hint } = describeMalformed(text, pos);
      return fail(pos, length, message, hint);
    }
    const [whole, slash, staticText, converterName, argText, name] = m;
    if (slash !== undefined) tokens.push({ type: "slash" });
    if (staticText !== undefined) tokens.push({ type: "static", text: staticText });
    if (name !== undefined) {
      const converter = converterName ?? "default";
      // werkzeug parses the arguments before it looks the converter up.
      const argStart = pos + 1 + converter.length + 1;
      const parsedArgs = parseConverterArgs(argText ?? "");
      if (!parsedArgs.ok) return fail(argStart + parsedArgs.offset, parsedArgs.length, parsedArgs.message);
      if (!(CONVERTER_NAMES as readonly string[]).includes(converter)) {
        const close = suggestName(converter, CONVERTER_NAMES);
        const hint = close === undefined ? `converters: ${CONVERTER_NAMES.join(", ")}` : `did you mean "${close}"?`;
        const replacement = unambiguousName(converter, CONVERTER_NAMES);
        return { ...fail(pos + 1, converter.length, `unknown converter "${converter}"`, hint), ...(replacement === undefined ? {} : { replacement }) };
      }
      if (parsedArgs.ignored !== undefined) {
        warnings.push({ message: "werkzeug ignores this text in the converter arguments", ...at(argStart + parsedArgs.ignored.offset, parsedArgs.ignored.length) });
      }
      const created = createConverter(converter, parsedArgs.args);
      const argIssue = (issue: ConverterError): RuleIssue => {
        const span = issue.arg === undefined ? at(pos, whole.length) : at(argStart + issue.arg.offset, issue.arg.length);
        return { message: issue.message, ...span, ...(issue.hint === undefined ? {} : { hint: issue.hint }) };
      };
      if (!("regex" in created)) return { kind: "error", ...argIssue(created) };
      const { warning, ...plain } = created;
      if (warning !== undefined) warnings.push(argIssue(warning));
      tokens.push({ type: "variable", converter: plain });
      variables.push({ name, converter, ...at(pos, whole.length) });
      converters.push(plain);
    }
    pos += whole.length;
  }

  const seen = new Set<string>();
  for (const variable of variables) {
    const where = { kind: "error" as const, offset: variable.offset, length: variable.length };
    if (RESERVED_NAMES.has(variable.name)) return { ...where, message: `"${variable.name}" cannot be a variable name`, hint: "Python reserves it; pick another name" };
    if (seen.has(variable.name)) return { ...where, message: `duplicate variable name "${variable.name}"`, hint: "each variable in a rule needs its own name" };
    seen.add(variable.name);
  }
  const parts = buildRuleParts(tokens);
  if (parts.some((part) => !part.isStatic && part.groupOrder.length > 10)) {
    // werkzeug sorts a part's values by group name, so `__werkzeug_10` comes before `__werkzeug_2`.
    warnings.push({ message: "werkzeug mixes up the values of more than 10 variables between two slashes", offset: 0, length: rule.length });
  }
  return { kind: "rule", rule, isBranch: rule.endsWith("/"), variables, converters, parts, warnings };
}
