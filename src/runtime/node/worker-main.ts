/**
 * The worker thread's entry: evaluates bundles, runs calls, and keeps going whatever handler code
 * does (uncaught exceptions and unhandled rejections are logged, not fatal). Messages are the arrays
 * of protocol.ts; the server side is worker-host.ts.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { parentPort, workerData } from "node:worker_threads";
import type { FromWorker, ModuleError, ToWorker } from "./protocol.js";
import { createOutbox } from "./outbox.js";
import { createCallRunner, messageOf, stackOf } from "./worker-call.js";
import { installLightFetch, prepareLightFetch } from "../fetch-light/light-fetch.js";
import { callEndpoint, captureConsole } from "./worker-console.js";
import { evaluateBundle, ModuleShapeError, type EndpointClass } from "./worker-modules.js";
import { timerScopeOf } from "./worker-timers.js";
import { forgetSourceMaps, installStackRemapping, originalPositionOf } from "./worker-stack.js";

const port = parentPort;
if (port === null) throw new Error("worker-main must run in a worker thread");

// Calls above this id were moved to another worker while this one was blocked: never start them.
const reclaimedAbove = (workerData as { reclaimedAbove?: Int32Array } | null)?.reclaimedAbove;
const post = createOutbox<FromWorker>((batch, transfer) => port.postMessage(batch, transfer));
const classes = new Map<string, EndpointClass>();
const calls = createCallRunner(post, classes);

installLightFetch();
installStackRemapping();
captureConsole((stream, text, endpoint) => post(["log", stream, text, endpoint]));
process.on("uncaughtException", (error) => {
  post(["log", "stderr", `Uncaught exception: ${stackOf(error)}`, callEndpoint.getStore() ?? null]);
});
process.on("unhandledRejection", (reason) => {
  post(["log", "stderr", `Unhandled promise rejection: ${stackOf(reason)}`, callEndpoint.getStore() ?? null]);
});

function load(source: string, file: string, code: string, map: string): ModuleError | null {
  try {
    const loaded = evaluateBundle(source, file, code, map);
    const previous = classes.get(source);
    classes.set(source, loaded);
    if (previous !== undefined && previous !== loaded) timerScopeOf(previous)?.retire();
    return null;
  } catch (error) {
    if (error instanceof ModuleShapeError) return [error.message, "", file, 0, 0];
    const position = originalPositionOf(error);
    return [messageOf(error), stackOf(error), position?.file ?? file, position?.line ?? 0, position?.column ?? 0];
  }
}

let collectGarbage: (() => void) | undefined;
let fetchPrepared = false;

async function heapAfterCollection(): Promise<void> {
  if (collectGarbage === undefined) {
    // Only for diagnostics (tests, benchmarks): exposes V8's gc() without a command-line flag.
    v8.setFlagsFromString("--expose-gc");
    collectGarbage = vm.runInNewContext("gc") as () => void;
  }
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
}

port.on("message", (batch: ToWorker[] | string) => {
  // Batches without transferred buffers come as JSON (worker-host.ts).
  for (const message of typeof batch === "string" ? (JSON.parse(batch) as ToWorker[]) : batch) receive(message);
});

function receive(message: ToWorker): void {
  switch (message[0]) {
    case "call": {
      const above = reclaimedAbove === undefined ? 0 : Atomics.load(reclaimedAbove, 0);
      if (above === 0 || message[1] <= above) calls.start(message);
      break;
    }
    case "credit":
      calls.credit(message[1], message[2]);
      break;
    case "cancel":
      calls.cancel(message[1]);
      break;
    case "load":
      post(["loaded", message[1], load(message[2], message[3], message[4], message[5])]);
      // Once the first modules are in (and reported), Node's Fetch classes load while no call waits.
      if (!fetchPrepared) {
        fetchPrepared = true;
        setImmediate(prepareLightFetch);
      }
      break;
    case "drop":
      for (const source of message[1]) {
        const dropped = classes.get(source);
        if (dropped !== undefined) timerScopeOf(dropped)?.retire();
        classes.delete(source);
        forgetSourceMaps(source);
      }
      break;
    case "ping":
      post(["pong", message[1]]);
      break;
    case "stats": {
      const [, id, collect] = message;
      void (collect ? heapAfterCollection() : Promise.resolve()).then(() => {
        const { heapUsed, heapTotal } = process.memoryUsage();
        post(["stats", id, heapUsed, heapTotal]);
      });
      break;
    }
  }
}
