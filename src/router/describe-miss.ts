/**
 * The text of the werkzeug exception behind a routing miss, `str(exception)`, which Dify sends back
 * as `Failed to dispatch endpoint request: <text>` with a 404.
 */

import type { RouteMiss } from "./match.js";

export interface DescribeMissOptions {
  /** Scheme and host werkzeug puts in a redirect URL (from the request's Host header). */
  origin?: string;
  /** The request's raw query string, which werkzeug keeps on a redirect. */
  query?: string;
}

/** `404 Not Found: ...`, `405 Method Not Allowed: ...` or `308 Permanent Redirect: <url>`. */
export function describeMiss(miss: RouteMiss, options: DescribeMissOptions = {}): string {
  switch (miss.kind) {
    case "not-found":
      return "404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.";
    case "method-not-allowed":
      return "405 Method Not Allowed: The method is not allowed for the requested URL.";
    case "redirect": {
      const query = options.query ? `?${options.query}` : "";
      return `308 Permanent Redirect: ${options.origin ?? "http://localhost"}${miss.location}${query}`;
    }
  }
}
