/**
 * Starts the worker thread that runs endpoint code, with the server's own Node flags where a worker
 * accepts them. Found from the package root: this module also runs from the CLI bundle, which has no
 * worker-main.js beside it.
 */
import { pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";
import { compiledModule } from "../../package-root.js";

const WORKER_URL = pathToFileURL(compiledModule("runtime/node/worker-main.js"));

/** `--max-old-space-size=N` and the like: per-process V8 flags a worker refuses, given as its limits instead. */
const HEAP_FLAGS: Record<string, keyof ResourceLimits> = {
  "--max-old-space-size": "maxOldGenerationSizeMb",
  "--max-semi-space-size": "maxYoungGenerationSizeMb",
  "--stack-size": "stackSizeMb",
};

/**
 * Starts the worker with the server's flags: inherited flags apply to the worker too, but a worker
 * refuses some (`--input-type`, heap sizes): heap sizes become its resource limits, and when Node
 * still refuses a flag the worker starts without the inherited ones rather than not at all.
 */
export function startWorker(workerData: unknown): Worker {
  const resourceLimits: ResourceLimits = {};
  const execArgv = process.execArgv.filter((arg) => {
    if (arg.startsWith("--input-type")) return false;
    const [name = "", value] = arg.replace(/_/g, "-").split("=");
    const limit = HEAP_FLAGS[name];
    if (limit === undefined) return true;
    // --stack-size is in KiB; the limit is in MiB.
    const size = Number(value);
    if (Number.isFinite(size) && size > 0) resourceLimits[limit] = limit === "stackSizeMb" ? size / 1024 : size;
    return false;
  });
  const options = { stdout: true, stderr: true, name: "endpoint-kit endpoints", workerData, resourceLimits };
  try {
    return new Worker(WORKER_URL, { ...options, execArgv });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw error;
    return new Worker(WORKER_URL, { ...options, execArgv: [] });
  }
}
