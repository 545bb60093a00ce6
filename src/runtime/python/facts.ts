/**
 * What a Python worker runs on (interpreter, SDK, werkzeug), as the worker reports it when it is
 * ready, turned into plain lines for the dev banner and the warnings an author needs. Pure.
 */
import type { RuntimeFacts } from "../contract.js";

/** The `ready` message's facts, every field a string ("" when unknown). */
export interface PythonFacts {
  python: string;
  implementation: string;
  executable: string;
  werkzeug: string;
  sdk: "real" | "stub";
  sdkVersion: string;
  sdkError: string;
}

/** The werkzeug Dify's plugin SDK requires; older ones answer some requests differently. */
export const REQUIRED_WERKZEUG = "3.1.8";

/** Narrows the fields of a `ready` frame header. */
export function parsePythonFacts(header: Record<string, unknown>): PythonFacts {
  const text = (value: unknown): string => (typeof value === "string" ? value : "");
  return {
    python: text(header.python),
    implementation: text(header.implementation),
    executable: text(header.executable),
    werkzeug: text(header.werkzeug),
    sdk: header.sdk === "real" ? "real" : "stub",
    sdkVersion: text(header.sdkVersion),
    sdkError: text(header.sdkError),
  };
}

/** Compares dotted version texts numerically (`3.1.10` > `3.1.8`); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.split(".").map((part) => Number.parseInt(part, 10) || 0);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The banner's lines and the warnings for what a worker runs on. */
export function describePythonFacts(facts: PythonFacts): RuntimeFacts {
  const interpreter = `${facts.implementation || "Python"} ${facts.python}`.trim() + (facts.executable ? ` (${facts.executable})` : "");
  const sdk =
    facts.sdk === "real"
      ? `dify_plugin ${facts.sdkVersion || "(version unknown)"}`
      : "dify_plugin stand-in bundled with endpoint-kit (install dify_plugin for the real SDK)";
  const lines: Array<[string, string]> = [
    ["python", interpreter],
    ["sdk", sdk],
    ["werkzeug", facts.werkzeug || "(version unknown)"],
  ];
  const warnings: Array<{ message: string; detail?: string }> = [];
  if (facts.werkzeug && compareVersions(facts.werkzeug, REQUIRED_WERKZEUG) < 0) {
    warnings.push({
      message: `werkzeug ${facts.werkzeug} is older than ${REQUIRED_WERKZEUG}, the version Dify's SDK requires: some answers differ from Dify's (get_json() of a non-JSON body is a 400 before 3.x, a 415 on Dify). Install werkzeug>=${REQUIRED_WERKZEUG} for ${facts.executable || "this Python"}`,
    });
  }
  if (facts.sdkError) {
    const [first = "", ...rest] = facts.sdkError.split("\n");
    const version = facts.sdkVersion ? ` ${facts.sdkVersion}` : "";
    warnings.push({
      message: `dify_plugin${version} is installed for ${facts.executable || "this Python"} but cannot be imported (${first}); the bundled stand-in serves instead. Fix or reinstall it to run on the real SDK`,
      detail: rest.join("\n").trim(),
    });
  }
  return { lines, warnings };
}
