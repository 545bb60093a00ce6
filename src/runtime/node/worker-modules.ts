/**
 * Evaluates a bundled endpoint source inside the worker and finds its endpoint class. Code runs
 * through `vm.compileFunction` with a `createRequire` of the source file, the one way of reloading
 * measured to keep the heap flat (ESM `import()` of a changed URL is never freed).
 */
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { ENDPOINT_KIT_SPECIFIER } from "./protocol.js";
import { Endpoint } from "./endpoint.js";
import { registerSourceMap } from "./worker-stack.js";
import { setTimerScope, TimerScope, TIMER_NAMES } from "./worker-timers.js";

export type EndpointClass = new () => Endpoint;

/** A module that evaluated but does not have the shape of an endpoint (no class, or several). */
export class ModuleShapeError extends Error {
  override name = "ModuleShapeError";
}

const WRAPPER_PARAMETERS = ["exports", "require", "module", "__filename", "__dirname", ...TIMER_NAMES];
// The very object plugins import, so `extends Endpoint` in plugin code is checked against this class.
const endpointKitExports = Object.freeze({ Endpoint });
let bundleCount = 0;

/** Evaluates one bundle of `source` (absolute path `file`) and returns its endpoint class. */
export function evaluateBundle(source: string, file: string, code: string, map: string): EndpointClass {
  bundleCount += 1;
  // A distinct name per version lets stack frames of old code, still running, use their own map.
  const bundleName = `${file}.bundle-${bundleCount}.cjs`;
  registerSourceMap(source, bundleName, file, map);
  const run = vm.compileFunction(code, WRAPPER_PARAMETERS, {
    filename: bundleName,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as unknown };
  const timers = new TimerScope();
  try {
    run.call(module.exports, module.exports, requireFor(file), module, file, path.dirname(file), ...timers.bindings());
    const found = findEndpointClass(module.exports);
    setTimerScope(found, timers);
    return found;
  } catch (error) {
    // A version that fails to load never serves: whatever it scheduled stops now.
    timers.retire();
    throw error;
  }
}

function requireFor(file: string): NodeJS.Require {
  const base = createRequire(file);
  const require = ((id: string): unknown => (id === ENDPOINT_KIT_SPECIFIER ? endpointKitExports : base(id))) as NodeJS.Require;
  require.resolve = base.resolve;
  require.cache = base.cache;
  require.main = undefined;
  require.extensions = base.extensions;
  return require;
}

function isClass(value: unknown): value is EndpointClass {
  return typeof value === "function" && typeof value.prototype === "object" && value.prototype !== null;
}

/** The one exported class that extends `Endpoint`, default or named. */
export function findEndpointClass(exported: unknown): EndpointClass {
  const candidates = new Set<unknown>();
  if (isClass(exported)) candidates.add(exported);
  else if (typeof exported === "object" && exported !== null) {
    for (const key of Object.keys(exported)) candidates.add((exported as Record<string, unknown>)[key]);
  }
  const classes = [...candidates].filter(isClass);
  const endpoints = classes.filter((value) => value.prototype instanceof Endpoint);
  if (endpoints.length === 1) {
    const found = endpoints[0] as EndpointClass;
    if (typeof (found.prototype as { _invoke?: unknown })._invoke !== "function") {
      throw new ModuleShapeError(`class ${found.name || "(anonymous)"} does not implement _invoke`);
    }
    return found;
  }
  if (endpoints.length > 1) {
    const names = endpoints.map((value) => value.name || "(anonymous)").join(", ");
    throw new ModuleShapeError(`the module exports ${endpoints.length} classes that extend Endpoint (${names}): export exactly one`);
  }
  const lookalike = classes.find((value) => typeof (value.prototype as { _invoke?: unknown })._invoke === "function");
  if (lookalike !== undefined) {
    throw new ModuleShapeError(
      `class ${lookalike.name || "(anonymous)"} has _invoke but does not extend Endpoint from "endpoint-kit"`,
    );
  }
  throw new ModuleShapeError('the module exports no class that extends Endpoint (import { Endpoint } from "endpoint-kit")');
}
