/**
 * The request pipeline: Dify's front door, platform-neutral (no `node:` import). `dev`'s HTTP
 * server, `loadPlugin()` and `invoke` serve every request through `createPipeline`.
 */
export { createPipeline, createPipelineNow, type HandleRequest, type HandleRequestNow, type PipelineAnswer, type PipelineOptions, type PipelineRequest } from "./pipeline.js";
export { answerToResponse, createFetchHandler, fromFetchRequest, type RawTarget } from "./fetch.js";
export { readAhead, withLength, type ReadAhead } from "./answer-body.js";
export { readCapped, emptyBody, type CappedBody } from "./capped-body.js";
export type { ArrivedRequest, ObserveRequest, RequestObserver, RequestOutcome, ResponseHead } from "./observer.js";
export type { ServedEndpoint, ServingState } from "./serving-state.js";
export { MAX_BODY_BYTES } from "./dify-request.js";
