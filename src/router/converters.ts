/**
 * werkzeug's default converters (`default`/`string`, `any`, `path`, `int`, `float`, `uuid`): the
 * regex each contributes to a rule, its sort weight, and its `to_python` check. Built from parsed
 * arguments by `createConverter`, which rejects what werkzeug's `__init__` rejects.
 */

import type { ConverterArg } from "./converter-args.js";
import { bindConverterArgs, type BoundArgs } from "./bind-args.js";
import { toAsciiDigits } from "./decimal-digits.js";
import { callPyInt, formatPyValue, isPyTruthy, toPyNumber, type PyValue } from "./python-values.js";

/**
 * A path value with its converter's type. `text` is the percent-decoded matched text; runtimes
 * convert it (Python: `int`, `float`, `uuid.UUID`, `str`; TypeScript: numbers for int and float,
 * strings otherwise). Ints stay text here so that big ones keep their precision on the way to Python.
 */
export interface RouteValue {
  type: "string" | "int" | "float" | "uuid";
  text: string;
}

/** A converter ready to match: a JS regex source with no capturing groups. */
export interface Converter {
  /** The converter name as written in the rule (`default` when omitted). */
  name: string;
  regex: string;
  weight: number;
  /** False for `path`: it may match slashes, so it takes the rest of the path. */
  isPartIsolating: boolean;
  /**
   * The value for a matched (decoded) text, or undefined where werkzeug raises ValidationError.
   * Int and float texts get their Unicode digits (`١٢`, which Python's `int()` reads as 12) in ASCII.
   */
  toValue(text: string): RouteValue | undefined;
  /** Something werkzeug accepts but that is surely a mistake (ignored arguments, a rule that never matches). */
  warning?: ConverterError;
}

/** Why a converter could not be built; `arg` points at the offending argument when there is one. */
export interface ConverterError {
  message: string;
  hint?: string;
  arg?: ConverterArg;
}

export const CONVERTER_NAMES = ["default", "string", "any", "path", "int", "float", "uuid"] as const;

// Python's re refuses a repeat count of 4294967295 or more.
const MAX_REPEAT = 4294967294n;

const asText = (type: RouteValue["type"]) => (text: string): RouteValue => ({ type, text });

function createStringConverter(name: string, bound: BoundArgs): Converter | ConverterError {
  const count = (param: string, fallback: bigint): bigint | ConverterError => {
    const arg = bound.get(param);
    if (arg === undefined) return fallback;
    const value = callPyInt(arg.value);
    if (typeof value !== "bigint") return { message: `${param} must be an integer: ${value.error}`, arg };
    if (value < 0n) return { message: `${param} must not be negative`, arg };
    if (value > MAX_REPEAT) return { message: `${param} is too large`, arg };
    return value;
  };
  let repeat: string;
  const lengthArg = bound.get("length");
  if (lengthArg !== undefined && lengthArg.value.type !== "none") {
    const length = count("length", 0n);
    if (typeof length !== "bigint") return length;
    repeat = `{${length}}`;
  } else {
    const min = count("minlength", 1n);
    if (typeof min !== "bigint") return min;
    const maxArg = bound.get("maxlength");
    if (maxArg === undefined || maxArg.value.type === "none") {
      repeat = `{${min},}`;
    } else {
      const max = count("maxlength", 0n);
      if (typeof max !== "bigint") return max;
      if (max < min) return { message: `maxlength ${max} is less than minlength ${min}`, arg: maxArg };
      repeat = `{${min},${max}}`;
    }
  }
  return { name, regex: `[^/]${repeat}`, weight: 100, isPartIsolating: true, toValue: asText("string") };
}

const REGEX_SYNTAX = /[\^$\\.*+?()[\]{}|/]/g;

function createAnyConverter(name: string, args: ConverterArg[]): Converter | ConverterError {
  const keyword = args.find((arg) => arg.name !== undefined);
  if (keyword !== undefined) {
    return { message: `any() takes only words, not ${keyword.name}=`, hint: `quote it: "${keyword.name}=..."`, arg: keyword };
  }
  const items: string[] = [];
  for (const arg of args) {
    if (arg.value.type !== "str") {
      return { message: `any() items must be words or quoted strings, not ${formatPyValue(arg.value)}`, hint: `quote it: "${formatPyValue(arg.value)}"`, arg };
    }
    items.push(arg.value.value.replace(REGEX_SYNTAX, "\\$&"));
  }
  return { name, regex: `(?:${items.join("|")})`, weight: 100, isPartIsolating: true, toValue: asText("string") };
}

/** Python's `int == number` for an int, float or bool (a bigint here). */
function equalsNumber(length: number, other: bigint | number): boolean {
  return typeof other === "bigint" ? BigInt(length) === other : length === other;
}

function createNumberConverter(name: "int" | "float", bound: BoundArgs): Converter | ConverterError {
  const bounds: Array<bigint | number | undefined> = [];
  for (const param of ["min", "max"]) {
    const arg = bound.get(param);
    const value: PyValue = arg?.value ?? { type: "none" };
    const number = toPyNumber(value);
    // werkzeug accepts a string here and then fails on every request with a TypeError.
    if (arg !== undefined && value.type !== "none" && number === undefined) return { message: `${param} must be a number, not ${formatPyValue(value)}`, arg };
    bounds.push(number);
  }
  const [min, max] = bounds;
  const fixedArg = bound.get("fixed_digits");
  const fixed = fixedArg !== undefined && isPyTruthy(fixedArg.value) ? toPyNumber(fixedArg.value) ?? NaN : undefined;
  const signed = bound.get("signed");
  const warning: ConverterError | undefined =
    fixedArg !== undefined && Number.isNaN(fixed) ? { message: "fixed_digits is not a number, so this rule never matches", arg: fixedArg } : undefined;
  const digits = name === "int" ? "\\p{Nd}+" : "\\p{Nd}+\\.\\p{Nd}+";
  const toValue = (text: string): RouteValue | undefined => {
    if (fixed !== undefined && !equalsNumber([...text].length, fixed)) return undefined;
    const ascii = toAsciiDigits(text);
    const value = name === "int" ? BigInt(ascii) : Number(ascii);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) return undefined;
    return { type: name, text: ascii };
  };
  return {
    name,
    regex: signed !== undefined && isPyTruthy(signed.value) ? `-?${digits}` : digits,
    weight: 50,
    isPartIsolating: true,
    toValue,
    ...(warning === undefined ? {} : { warning }),
  };
}

const UUID_REGEX = "[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}";

/** Builds a converter as werkzeug's `Map.converters[name](map, *args, **kwargs)` would. */
export function createConverter(name: string, args: ConverterArg[]): Converter | ConverterError {
  switch (name) {
    case "default":
    case "string": {
      const bound = bindConverterArgs(name, ["minlength", "maxlength", "length"], args);
      return "message" in bound ? bound : createStringConverter(name, bound);
    }
    case "any":
      return createAnyConverter(name, args);
    case "int":
    case "float": {
      const params = name === "int" ? ["fixed_digits", "min", "max", "signed"] : ["min", "max", "signed"];
      const bound = bindConverterArgs(name, params, args);
      return "message" in bound ? bound : createNumberConverter(name, bound);
    }
    case "path":
      // `[^/].*?` in Python: the dot stops at a newline.
      return withIgnoredArgs(args, { name, regex: "[^/][^\\n]*?", weight: 200, isPartIsolating: false, toValue: asText("string") });
    case "uuid":
      return withIgnoredArgs(args, { name, regex: UUID_REGEX, weight: 100, isPartIsolating: true, toValue: (text) => ({ type: "uuid", text: text.toLowerCase() }) });
    default:
      return { message: `unknown converter "${name}"` };
  }
}

/** werkzeug's base `__init__` takes and ignores any arguments: keep the converter, warn about them. */
function withIgnoredArgs(args: ConverterArg[], converter: Converter): Converter {
  const [arg] = args;
  if (arg === undefined) return converter;
  return { ...converter, warning: { message: `${converter.name} takes no arguments; werkzeug ignores them`, arg } };
}
