/**
 * The package entry that plugin code imports: `import { Endpoint } from "endpoint-kit"`.
 * At run time the dev server supplies its own copy of `Endpoint`, so only types matter here for editors.
 */
export { Endpoint } from "./runtime/node/endpoint.js";
export type { EndpointSettings, EndpointValues } from "./runtime/node/endpoint.js";
