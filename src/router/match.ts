/**
 * The router: werkzeug's `Map([Rule(rule, methods=[method], endpoint=endpoint), ...])` with default
 * options, bound and matched as Dify's plugin SDK does for an endpoint request. The dev server
 * dispatches requests with it and turns every miss into Dify's 404.
 */

import type { Converter, RouteValue } from "./converters.js";
import { parseRule, type RuleSyntaxError } from "./parse-rule.js";
import { decodePath, quotePath } from "./path-text.js";
import type { RulePart } from "./rule-parts.js";
import { createStateMachine, SLASH_REQUIRED } from "./state-machine.js";

/** One endpoint's route as declared: its `path`, `method` and an id for it. */
export interface RouteRule {
  rule: string;
  method: string;
  endpoint: string;
}

export type MatchResult =
  | { kind: "ok"; endpoint: string; rule: string; values: Record<string, RouteValue> }
  | RouteMiss;

/** Every way a request can fail to reach an endpoint (all 404s on Dify). */
export type RouteMiss =
  | { kind: "not-found" }
  /** `allowed`: the methods of the rules whose path matched, sorted. */
  | { kind: "method-not-allowed"; allowed: string[] }
  /** `location`: the percent-encoded path werkzeug redirects to (a trailing `/` added, or `//` merged). */
  | { kind: "redirect"; location: string };

/** A rule werkzeug would refuse, left out of the router. */
export interface RejectedRule {
  index: number;
  route: RouteRule;
  error: RuleSyntaxError;
}

export interface Router {
  /** Matches a raw (percent-encoded) URL path without its query string. */
  match(rawPath: string, method: string): MatchResult;
  readonly rejected: RejectedRule[];
}

interface CompiledRule {
  route: RouteRule;
  methods: ReadonlySet<string>;
  names: string[];
  converters: Converter[];
}

const NOT_FOUND: MatchResult = { kind: "not-found" };

const miss = (allowed: Set<string>): MatchResult =>
  allowed.size > 0 ? { kind: "method-not-allowed", allowed: [...allowed].sort() } : NOT_FOUND;

/** werkzeug's redirect path: quoted, with exactly one leading slash. */
const redirect = (path: string): MatchResult => ({ kind: "redirect", location: `/${quotePath(path).replace(/^\/+/, "")}` });

/** The path werkzeug matches: percent-decoded, leading slashes collapsed into one. */
function toMatchPath(rawPath: string): string {
  const decoded = rawPath.includes("%") ? decodePath(rawPath) : rawPath;
  let start = 0;
  while (decoded.charCodeAt(start) === 47) start += 1;
  if (start === 1) return decoded;
  return decoded === "" ? "" : `/${decoded.slice(start)}`;
}

/** Compiles the rules once; invalid ones are skipped and listed in `rejected`. */
export function createRouter(routes: RouteRule[]): Router {
  const rejected: RejectedRule[] = [];
  const entries: Array<{ parts: RulePart[]; rule: CompiledRule }> = [];
  routes.forEach((route, index) => {
    const parsed = parseRule(route.rule);
    if (parsed.kind === "error") {
      rejected.push({ index, route, error: parsed });
      return;
    }
    const methods = new Set([route.method.toUpperCase()]);
    // werkzeug serves HEAD with every GET rule.
    if (methods.has("GET")) methods.add("HEAD");
    const names = parsed.variables.map((variable) => variable.name);
    entries.push({ parts: parsed.parts, rule: { route, methods, names, converters: parsed.converters } });
  });
  const machine = createStateMachine(entries);

  const match = (rawPath: string, method: string): MatchResult => {
    const path = toMatchPath(rawPath);
    const upperMethod = method.toUpperCase();
    const allowed = new Set<string>();
    const found = machine.match(path.split("/"), upperMethod, allowed);
    if (found === SLASH_REQUIRED) return redirect(`${path}/`);
    if (found === undefined) {
      // werkzeug retries with `//` merged and redirects there if that matches.
      if (!path.includes("//")) return miss(allowed);
      const merged = path.replace(/\/{2,}/g, "/");
      const retry = machine.match(merged.split("/"), upperMethod, allowed);
      if (retry === SLASH_REQUIRED) return redirect(`${merged}/`);
      return retry === undefined ? miss(allowed) : redirect(merged);
    }
    const { route, names, converters } = found.rule;
    const values: Record<string, RouteValue> = {};
    for (let i = 0; i < names.length; i += 1) {
      const value = converters[i]?.toValue(found.texts[i] as string);
      // A failed converter check ends the match (werkzeug's ValidationError), no other rule is tried.
      if (value === undefined) return miss(allowed);
      values[names[i] as string] = value;
    }
    return { kind: "ok", endpoint: route.endpoint, rule: route.rule, values };
  };
  return { match, rejected };
}
