/**
 * The in-process invoker of a built plugin: makes a fresh instance of the endpoint's class, calls
 * `_invoke(request, values, settings)` and turns what comes back (or what is thrown) into Dify's
 * answer: one value per header, no body for HEAD, a handler error as a 500, the deadline as a 504.
 * Platform-neutral.
 */
import { Endpoint, type EndpointSettings, type EndpointValues } from "../../runtime/node/endpoint.js";

export type EndpointClass = new () => Endpoint;

export interface InnerRequest {
  method: string;
  headers: Array<[string, string]>;
  body: Uint8Array | null;
}

export interface InvokeOptions {
  /** The platform's request: its signal aborts when the client goes away (read only if the handler reads its own). */
  outer: Request;
  deadlineMs: number;
}

const text = (body: string, status: number): Response =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** The one exported class that extends `Endpoint` (default or named), or why there is none. */
export function findClass(module: unknown): EndpointClass | string {
  const exported = typeof module === "object" && module !== null ? Object.values(module as Record<string, unknown>) : [];
  const classes = exported.filter((value): value is EndpointClass => typeof value === "function" && (value as { prototype?: unknown }).prototype instanceof Endpoint);
  const unique = [...new Set(classes)];
  if (unique.length === 1) return unique[0] as EndpointClass;
  return unique.length === 0 ? 'the source exports no class that extends Endpoint (import { Endpoint } from "endpoint-kit")' : "the source exports several classes that extend Endpoint: export exactly one";
}

export async function invokeEndpoint(
  Class: EndpointClass,
  url: string,
  inner: InnerRequest,
  values: EndpointValues,
  settings: EndpointSettings,
  options: InvokeOptions,
): Promise<Response> {
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const request = new Request(url, { method: inner.method, headers: inner.headers, body: inner.body as BodyInit | null });
  // The handler's signal is made when it is first read: most handlers never read it, and a Request
  // that follows a signal costs more to make. It aborts when the client goes away or at the deadline.
  Object.defineProperty(request, "signal", {
    configurable: true,
    enumerable: true,
    get: () => {
      if (controller === undefined) {
        controller = new AbortController();
        const outer = options.outer.signal;
        const abort = (): void => controller?.abort(outer.reason);
        if (outer.aborted) abort();
        else outer.addEventListener("abort", abort, { once: true });
      }
      return controller.signal;
    },
  });
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(resolve, options.deadlineMs, "timeout");
  });
  let answer: unknown;
  try {
    answer = await Promise.race([new Class()._invoke(request, values, settings), deadline]);
  } catch (error) {
    // The stack goes to the platform's log (wrangler tail, the server's stderr); the caller gets the message.
    // eslint-disable-next-line no-console
    console.error(error);
    return text(`Internal Server Error: ${messageOf(error)}`, 500);
  } finally {
    clearTimeout(timer);
  }
  if (answer === "timeout") {
    controller?.abort(new DOMException("The endpoint did not answer in time", "TimeoutError"));
    return text(`Gateway Timeout: the endpoint did not answer within ${Math.round(options.deadlineMs / 1000)}s`, 504);
  }
  if (!(answer instanceof Response) || answer.type === "error") {
    const what = answer instanceof Response ? "Response.error()" : describeValue(answer);
    return text(`Internal Server Error: _invoke returned ${what} instead of a Response`, 500);
  }
  return shapeResponse(answer, inner.method === "HEAD");
}

/**
 * Dify keeps one value per response header (the last); HEAD gets no body. Any other answer goes out
 * as the handler made it, so a platform's fast path for complete bodies (a string, bytes) still
 * applies, and a streaming body streams.
 */
function shapeResponse(response: Response, isHead: boolean): Response {
  const cookies = typeof response.headers.getSetCookie === "function" ? response.headers.getSetCookie() : [];
  if (!isHead && cookies.length <= 1) return response;
  let headers: Headers = response.headers;
  if (cookies.length > 1) {
    headers = new Headers(response.headers);
    headers.set("set-cookie", cookies[cookies.length - 1] as string);
  }
  if (isHead) void response.body?.cancel().catch(() => undefined);
  return new Response(isHead ? null : response.body, { status: response.status, statusText: response.statusText, headers });
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return `${describeValue(error)} was thrown: ${String(error)}`;
  } catch {
    return `${describeValue(error)} was thrown`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${(value as { constructor?: { name?: string } }).constructor?.name ?? "no prototype"})`;
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}
