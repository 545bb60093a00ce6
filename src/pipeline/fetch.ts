/**
 * The pipeline in Fetch terms: a `Request` in, a `Response` out, for `loadPlugin()`, `invoke` and
 * serverless builds. The request's body is read (capped) before routing, so the handler sees the
 * `content-length` an HTTP client would have sent; the response streams as the handler produces it.
 */
import { readAhead, withLength } from "./answer-body.js";
import { emptyBody, readCapped, type CappedBody } from "./capped-body.js";
import { MAX_BODY_BYTES } from "./dify-request.js";
import type { HandleRequest, PipelineAnswer, PipelineRequest } from "./pipeline.js";

/** What a Fetch `Request` cannot carry: the request-target exactly as typed (a `Request` normalizes `/a/../b`). */
export interface RawTarget {
  target?: string;
}

/** Serves Fetch requests through the pipeline. */
export function createFetchHandler(handle: HandleRequest): (request: Request, raw?: RawTarget) => Promise<Response> {
  return async (request, raw = {}) => answerToResponse(await handle(await fromFetchRequest(request, raw)));
}

/** A Fetch `Request` as the front door sees one arriving over HTTP (a `host` header first, a body's length). */
export async function fromFetchRequest(request: Request, raw: RawTarget = {}): Promise<PipelineRequest> {
  const url = new URL(request.url);
  const body: CappedBody = request.body ? await readCapped(request.body as unknown as AsyncIterable<Uint8Array>, MAX_BODY_BYTES) : emptyBody();
  const headers: Array<[string, string]> = [...request.headers];
  const host = request.headers.get("host") ?? url.host;
  if (!request.headers.has("host")) headers.unshift(["host", host]);
  if (request.body && !request.headers.has("content-length") && !request.headers.has("transfer-encoding")) headers.push(["content-length", String(body.total)]);
  return {
    method: request.method,
    target: raw.target ?? `${url.pathname}${url.search}`,
    host,
    headers,
    readBody: async () => body,
    signal: request.signal,
  };
}

/** Statuses whose `Response` may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** The answer as a Fetch `Response`: a complete body with its length (as `dev` sends it), else a stream. */
export async function answerToResponse(answer: PipelineAnswer): Promise<Response> {
  const { status, headers, body } = answer;
  if (!body || NULL_BODY.has(status)) {
    void body?.return?.();
    return new Response(null, { status, headers });
  }
  const ahead = await readAhead(body);
  if (ahead.complete) return new Response((ahead.bytes ?? null) as BodyInit | null, { status, headers: withLength(headers, ahead.bytes?.byteLength ?? 0) });
  let next: IteratorResult<Uint8Array> | undefined = ahead.first;
  let pending = ahead.pending;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: IteratorResult<Uint8Array>;
        if (next) [result, next] = [next, undefined];
        else if (pending) [result, pending] = [await pending, undefined];
        else result = await body.next();
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      async cancel() {
        await body.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(stream, { status, headers });
}
