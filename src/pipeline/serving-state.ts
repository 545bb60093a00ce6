/**
 * What the pipeline serves a request with: the hook id, the router, which runtime runs each
 * endpoint, what cannot run and why, and the settings. `dev` replaces it as a whole on every reload;
 * `loadPlugin()` builds it once.
 */
import type { Router } from "../router/index.js";
import type { EndpointInvoker } from "../runtime/contract.js";

/** One endpoint the router may pick, with what runs its `_invoke`. */
export interface ServedEndpoint {
  id: string;
  runtime: EndpointInvoker;
}

/** What a request is served with; replaced as a whole on every reload. */
export interface ServingState {
  hookId: string;
  router: Router;
  endpoints: ReadonlyMap<string, ServedEndpoint>;
  /** Endpoints that cannot run (a source that failed to load), with the reason. */
  unavailable: ReadonlyMap<string, string>;
  settings: Record<string, unknown>;
}
