/**
 * Dify's answers when no handler response exists: a routing miss, an endpoint that cannot run, a
 * refused header, and each kind of handler failure, with the status and text the daemon sends.
 */
import type { InvokeError } from "../runtime/contract.js";

/** How the daemon answers each kind of failure before a response head. */
export const STATUS_BY_KIND: Record<InvokeError["kind"], number> = { "value-error": 404, exception: 500, timeout: 504, crashed: 502, unavailable: 500 };

/** The body text for a handler failure before the head (never its stack: that goes to the terminal). */
export function invokeErrorText(error: InvokeError, deadlineMs: number): string {
  switch (error.kind) {
    case "value-error":
      return error.message;
    case "timeout":
      return `Gateway Timeout: the endpoint did not answer within ${Math.round(deadlineMs / 1000)}s`;
    case "crashed":
      return `Bad Gateway: the endpoint's worker stopped (${error.message})`;
    default:
      return `Internal Server Error: ${error.message}`;
  }
}

/** Every routing miss: werkzeug's exception text behind Dify's prefix. */
export const missText = (reason: string): string => `Failed to dispatch endpoint request: ${reason}`;

/** An endpoint the router found but that cannot run (its source never loaded). */
export const unavailableText = (reason: string | undefined): string => `Internal Server Error: ${reason ?? "the endpoint has no source to run"}`;

/** A header name with `_`, which the daemon refuses. */
export const invalidHeaderText = (name: string): string => `Internal Server Error: invalid header name ${JSON.stringify(name)}`;

/** The text written into a body when the handler fails after its head was sent. */
export const lateErrorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
