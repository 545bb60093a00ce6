/**
 * The package entry: `import { Endpoint } from "endpoint-kit"` in plugin code, and
 * `import { loadPlugin } from "endpoint-kit"` in a plugin's tests. Importing it loads only the
 * `Endpoint` class and the error type: `loadPlugin` brings in the validator and the runtimes on its
 * first call, so endpoint code (and anything that bundles it) never pays for them. At run time the
 * dev server supplies its own copy of `Endpoint`, so only types matter there.
 */
import type { LoadedPlugin, LoadPluginOptions } from "./api/load-plugin.js";

export { Endpoint } from "./runtime/node/endpoint.js";
export type { EndpointSettings, EndpointValues } from "./runtime/node/endpoint.js";
export { PluginLoadError } from "./api/plugin-load-error.js";
export type { LoadedPlugin, LoadPluginOptions, PluginEndpoint } from "./api/load-plugin.js";
export type { Diagnostic } from "./diagnostics/diagnostic.js";

/**
 * Validates and loads the plugin at `dir` (a path, relative to the working directory) and serves it
 * in-process: `await plugin.request("/path")` returns the Fetch `Response` that `endpoint-kit dev`
 * would send, with no port open. Throws `PluginLoadError` (with `.diagnostics`) when the plugin,
 * its settings or a source has an error. End it with `await plugin.close()` or `await using`.
 *
 * @example
 * await using plugin = await loadPlugin(".", { settings: { api_key: "test" } });
 * const response = await plugin.request("/hello?name=Ada");
 * assert.equal(response.status, 200);
 */
export async function loadPlugin(dir: string, options?: LoadPluginOptions): Promise<LoadedPlugin> {
  const { loadPlugin: load } = await import("./api/load-plugin.js");
  return load(dir, options);
}
