/**
 * A rule cut into parts at its slashes, as werkzeug's `Rule._parse_rule` does: a part is static text
 * (looked up by string) or a regex over one path segment, or, from a `path` converter on, over the
 * rest of the path. The weights order a state's dynamic parts in the matcher.
 */

import type { Converter } from "./converters.js";

/** A token of a rule, after `//` has been merged. */
export type RuleToken =
  | { type: "slash" }
  | { type: "static"; text: string }
  | { type: "variable"; converter: Converter };

/** werkzeug's `Weighting` tuple: compared element by element, lists lexicographically. */
export type Weighting = [number, Array<[number, number]>, number, number[]];

export interface StaticPart {
  isStatic: true;
  text: string;
}

export interface DynamicPart {
  isStatic: false;
  /** Equal keys share a state in the matcher, as equal `RulePart`s do in werkzeug. */
  key: string;
  regex: RegExp;
  /** Consumes every remaining segment (a `path` converter was seen). */
  isFinal: boolean;
  /** Ends with an optional slash whose presence calls for a redirect. */
  isSuffixed: boolean;
  weight: Weighting;
  /** Regex group indexes (0-based) in the order werkzeug lists values: by group NAME, so 10 before 2. */
  groupOrder: number[];
}

export type RulePart = StaticPart | DynamicPart;

const escapeRegex = (text: string): string => text.replace(/[\^$\\.*+?()[\]{}|/]/g, "\\$&");

function compareLists<T>(a: T[], b: T[], compare: (x: T, y: T) => number): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const order = compare(a[i] as T, b[i] as T);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

const compareNumbers = (a: number, b: number): number => a - b;
const comparePairs = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];

/** Python's ordering of two `Weighting` tuples. */
export function compareWeights(a: Weighting, b: Weighting): number {
  return a[0] - b[0] || compareLists(a[1], b[1], comparePairs) || a[2] - b[2] || compareLists(a[3], b[3], compareNumbers);
}

/** Cuts tokens into parts exactly as werkzeug does (including the extra empty part after a suffixed one). */
export function buildRuleParts(tokens: RuleToken[]): RulePart[] {
  const parts: RulePart[] = [];
  let content = "";
  let isStatic = true;
  let staticWeights: Array<[number, number]> = [];
  let argumentWeights: number[] = [];
  let isFinal = false;
  const weighting = (): Weighting => [-staticWeights.length, staticWeights, -argumentWeights.length, argumentWeights];
  const dynamicPart = (source: string, isSuffixed: boolean): DynamicPart => {
    const order = argumentWeights.map((_, index) => index).sort((a, b) => (String(a) < String(b) ? -1 : 1));
    const weight = weighting();
    return {
      isStatic: false,
      key: JSON.stringify([source, isFinal, isSuffixed, weight]),
      regex: new RegExp(`^${source}`, "u"),
      isFinal,
      isSuffixed,
      weight,
      groupOrder: order,
    };
  };

  for (const token of tokens) {
    if (token.type === "static") {
      staticWeights.push([staticWeights.length, -[...token.text].length]);
      content += isStatic ? token.text : escapeRegex(token.text);
    } else if (token.type === "variable") {
      if (isStatic) content = escapeRegex(content);
      isStatic = false;
      if (!token.converter.isPartIsolating) isFinal = true;
      content += `(${token.converter.regex})`;
      argumentWeights.push(token.converter.weight);
    } else if (isFinal) {
      content += "/";
    } else {
      parts.push(isStatic ? { isStatic: true, text: content } : dynamicPart(`${content}$`, false));
      content = "";
      isStatic = true;
      staticWeights = [];
      argumentWeights = [];
    }
  }

  const isSuffixed = isFinal && content.endsWith("/");
  if (isSuffixed) content = `${content.slice(0, -1)}(?<!\\/)(\\/?)`;
  if (isStatic) {
    parts.push({ isStatic: true, text: content });
  } else {
    parts.push(dynamicPart(`${content}$`, isSuffixed));
  }
  if (isSuffixed) parts.push({ isStatic: true, text: "" });
  return parts;
}
