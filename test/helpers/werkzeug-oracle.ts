/**
 * Real werkzeug as an oracle for routing tests: a seeded generator of rule maps and requests for
 * them, the Python script that matches them with werkzeug, and how to find a Python that has it.
 */
import { spawnSync } from "node:child_process";
import type { RouteRule } from "../../src/router/index.js";
import { decodePath } from "../../src/router/path-text.js";
import { createRandom, type Random } from "./seeded-random.js";

export const ORACLE = String.raw`
import json, sys, urllib.parse, uuid
from werkzeug.routing import Map, Rule, RequestRedirect
from werkzeug.exceptions import MethodNotAllowed, NotFound

def encode(value):
    if isinstance(value, bool): return ["bool", str(value)]
    if isinstance(value, int): return ["int", str(value)]
    if isinstance(value, float): return ["float", repr(value)]
    if isinstance(value, uuid.UUID): return ["uuid", str(value)]
    return ["string", value]

out = []
for case in json.load(sys.stdin):
    url_map = Map()
    rejected = []
    for index, rule in enumerate(case["rules"]):
        try:
            url_map.add(Rule(rule["rule"], methods=[rule["method"]], endpoint=rule["endpoint"]))
        except Exception:
            rejected.append(index)
    adapter = url_map.bind("localhost")
    results = []
    for path, method in case["requests"]:
        try:
            endpoint, values = adapter.match(urllib.parse.unquote(path, errors="replace"), method)
            results.append({"kind": "ok", "endpoint": endpoint, "values": {k: encode(v) for k, v in values.items()}})
        except RequestRedirect as e:
            results.append({"kind": "redirect", "location": e.new_url})
        except MethodNotAllowed as e:
            results.append({"kind": "method-not-allowed", "allowed": sorted(e.valid_methods)})
        except NotFound:
            results.append({"kind": "not-found"})
        except Exception as e:
            results.append({"kind": "error", "error": repr(e)})
    out.append({"rejected": rejected, "results": results})
print(json.dumps(out))
`;

export interface Case {
  rules: RouteRule[];
  requests: Array<[string, string]>;
}
export type OracleResult =
  | { kind: "ok"; endpoint: string; values: Record<string, [string, string]> }
  | { kind: "redirect"; location: string }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" }
  | { kind: "error"; error: string };

/** Converter specs with sample texts (percent-encoded) that do and do not fit them. */
const CONVERTERS: Array<{ spec: string; samples: string[] }> = [
  { spec: "", samples: ["abc", "en", "caf%C3%A9", "a%20b", "x.y", "a%2Fb", "%F0%9F%A6%86", "%ff"] },
  { spec: "string:", samples: ["abc", "e", "a-b", "%2e%2e"] },
  { spec: "string(length=2):", samples: ["en", "eng", "e", "%C3%A9t"] },
  { spec: "string(minlength=2, maxlength=3):", samples: ["ab", "abc", "abcd", "a"] },
  { spec: "default(3):", samples: ["abc", "ab", "abcdef"] },
  { spec: "any(a, b, \"c,d\"):", samples: ["a", "b", "c,d", "c", "ab"] },
  { spec: "any(x, xy):", samples: ["x", "xy", "y"] },
  { spec: "path:", samples: ["a/b", "a//b", "x", "a/b/", "items/1"] },
  { spec: "int:", samples: ["5", "0", "42", "-3", "007", "%D9%A1%D9%A2", "9007199254740993", "12345678901234567890123", "1.5", "x"] },
  { spec: "int(signed=True):", samples: ["-3", "4", "--1", "-0", "-9007199254740993"] },
  { spec: "int(min=1, max=10):", samples: ["0", "1", "10", "11"] },
  { spec: "int(fixed_digits=2):", samples: ["07", "7", "123"] },
  { spec: "int(2, 5, 50):", samples: ["05", "50", "10", "51"] },
  { spec: "int(min=1.5):", samples: ["1", "2"] },
  { spec: "float:", samples: ["1.5", "1", "10.25", "-0.5", "1.5e3", "%D9%A1.5"] },
  { spec: "float(signed=True):", samples: ["-0.5", "2.0"] },
  { spec: "float(min=0.5, max=2):", samples: ["0.25", "0.5", "2.0", "2.5"] },
  { spec: "uuid:", samples: ["123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000", "6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", "123e4567"] },
];
const INVALID_RULES = ["/<str:x>", "/x<", "/<int(foo=1):n>", "/<a>/<a>", "no-slash", "/<any(1):k>", "/<string(None):s>", "/<float(fixed_digits=2):f>", "/<int:0x>"];
const WORDS = ["a", "b", "items", "x-y", "caf\u00e9", "v1"];
const METHODS = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"];

/** One rule: its text and a function that fills it with sample texts. */
function generateRule(random: Random, names: string[]): { rule: string; fill: () => string } {
  const pieces: Array<() => string> = [];
  let rule = "";
  let hasPath = false;
  const segments = 1 + Math.floor(random.next() * 3);
  for (let i = 0; i < segments; i += 1) {
    rule += random.chance(0.05) ? "//" : "/";
    pieces.push(() => "/");
    const kind = random.next();
    const word = random.pick(WORDS);
    if (kind < 0.4 || hasPath) {
      rule += word;
      pieces.push(() => encodeURIComponent(word));
      continue;
    }
    const converter = random.pick(CONVERTERS);
    if (converter.spec === "path:") hasPath = true;
    const name = `v${names.length}`;
    names.push(name);
    const prefix = kind > 0.85 ? `${word}-` : "";
    rule += `${prefix}<${converter.spec}${name}>`;
    pieces.push(() => encodeURIComponent(prefix) + random.pick(converter.samples));
  }
  if (random.chance(0.3)) {
    rule += "/";
    pieces.push(() => "/");
  }
  return { rule, fill: () => pieces.map((piece) => piece()).join("") };
}

function mutatePath(random: Random, path: string): string {
  const roll = random.next();
  if (roll < 0.45) return path;
  if (roll < 0.55) return path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
  if (roll < 0.65) return path.replace("/", "//");
  if (roll < 0.7) return `//${path}`;
  if (roll < 0.75) return path.replace(/\/([^/]*)$/, "//$1");
  if (roll < 0.8) return path.replace("a", "%61").replace("/", "%2F");
  if (roll < 0.85) return `${path}/extra`;
  if (roll < 0.9) return path.replace(/\/[^/]*$/, "");
  return random.pick(["/", "", "/a", "/items/", "/%2F", "/x-y/5"]);
}

export function generateCases(seed: number, count: number): Case[] {
  const random = createRandom(seed);
  const cases: Case[] = [];
  for (let c = 0; c < count; c += 1) {
    const names: string[] = [];
    const generated = Array.from({ length: 1 + Math.floor(random.next() * 5) }, () => generateRule(random, names));
    const rules = generated.map((g, i) => ({
      rule: random.chance(0.05) ? random.pick(INVALID_RULES) : g.rule,
      method: random.chance(0.6) ? "GET" : random.pick(METHODS),
      endpoint: `e${i}`,
    }));
    const requests: Array<[string, string]> = [];
    for (let r = 0; r < 6; r += 1) {
      const index = Math.floor(random.next() * generated.length);
      const method = random.chance(0.6) ? (rules[index]?.method ?? "GET") : random.pick(METHODS);
      requests.push([mutatePath(random, generated[index]?.fill() ?? "/"), method]);
    }
    cases.push({ rules, requests });
  }
  return cases;
}

/** The Python with the newest werkzeug among python3 and /usr/bin/python3, and that version. */
export function findWerkzeugPython(): { python: string; version: string } | undefined {
  let best: { python: string; version: string } | undefined;
  for (const python of ["python3", "/usr/bin/python3"]) {
    const probe = spawnSync(python, ["-c", "import importlib.metadata as m; print(m.version('werkzeug'))"], { encoding: "utf8" });
    const version = probe.status === 0 ? probe.stdout.trim() : "";
    if (version !== "" && (best === undefined || compareVersions(version, best.version) > 0)) best = { python, version };
  }
  return best;
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(".").map((n) => Number.parseInt(n, 10) || 0));
  for (let i = 0; i < 3; i += 1) if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) - (y?.[i] ?? 0);
  return 0;
}

/**
 * Where werkzeug before 2.3 (Debian's 2.2.2) behaves differently from the 3.x Dify requires, which
 * the router follows: a `path` converter before a trailing slash has no slash redirect, and three
 * or more slashes in a row are merged two at a time.
 */
export function isLegacyDifference(c: Case, path: string): boolean {
  if (c.rules.some((r) => r.rule.includes("<path") && r.rule.endsWith("/"))) return true;
  return decodePath(path).replace(/^\/+/, "").includes("///");
}

export function sameValue(type: string, ours: string, theirs: string): boolean {
  if (type === "int") return BigInt(ours) === BigInt(theirs);
  if (type === "float") return Number(ours) === (theirs === "inf" ? Infinity : Number(theirs));
  return ours === theirs;
}

/** Values whose JavaScript form is easy to get wrong: upper-case UUIDs, ints beyond 2^53, -0. */
export const EDGE_VALUES: Case = {
  rules: [
    { rule: "/u/<uuid:u>", method: "GET", endpoint: "e0" },
    { rule: "/n/<int:n>", method: "GET", endpoint: "e1" },
    { rule: "/s/<int(signed=True):n>", method: "GET", endpoint: "e2" },
    { rule: "/f/<float(signed=True):f>", method: "GET", endpoint: "e3" },
  ],
  requests: [
    ["/u/6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", "GET"],
    ["/n/9007199254740993", "GET"],
    ["/n/9007199254740991", "GET"],
    ["/n/123456789012345678901234567890", "GET"],
    ["/s/-9007199254740993", "GET"],
    ["/s/-0", "GET"],
    ["/f/-0.0", "GET"],
    ["/f/9007199254740993.5", "GET"],
  ],
};

/**
 * A TypeScript handler's value, as `[typeof value, String(value)]`, against werkzeug's: an int is a
 * safe-integer number or, beyond, an exact bigint; a float a number; a uuid its lower-case text.
 */
export function sameHandlerValue(type: string, ours: [string, string], theirs: string): boolean {
  const [kind, text] = ours;
  if (type === "int") {
    const exact = BigInt(theirs);
    const safe = exact >= BigInt(Number.MIN_SAFE_INTEGER) && exact <= BigInt(Number.MAX_SAFE_INTEGER);
    return kind === (safe ? "number" : "bigint") && text !== "-0" && BigInt(text) === exact;
  }
  if (type === "float") return kind === "number" && sameValue(type, text, theirs);
  return kind === "string" && text === theirs;
}
