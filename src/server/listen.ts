/**
 * The HTTP listener behind one `startServer()` that returns `close()`: a `node:http` server with
 * limits against slow and idle clients, that moves to the next free port when the default one is
 * taken, and shuts down by draining in-flight requests before cutting what is left.
 */
import { getRequestListener } from "@hono/node-server";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { EnvironmentError } from "../errors.js";

export interface ListenOptions {
  /** Answers each request on the Node objects (dev's own listener: no Fetch objects are built). */
  listener?: (incoming: IncomingMessage, outgoing: ServerResponse) => void;
  /** Or a Fetch handler, adapted by @hono/node-server. */
  fetch?: (request: Request, env: never) => Response | Promise<Response>;
  host: string;
  port: number;
  /** The user chose the port: a taken port is an error instead of a move to the next one. */
  explicitPort: boolean;
  /** Limits against slow or idle clients (defaults: `CONNECTION_LIMITS`). */
  limits?: Partial<ConnectionLimits>;
  /** Told once in a while that the connection cap refuses new connections. */
  onLimit?: (message: string) => void;
}

export interface ConnectionLimits {
  /** A request's headers must arrive within this (slowloris). */
  headersTimeoutMs: number;
  /** A keep-alive connection with no request in flight is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are closed at once (idle ones are freed by the timeouts above). */
  maxConnections: number;
  /** How often Node looks for connections past their header deadline. */
  checkIntervalMs: number;
}

/**
 * Node's `requestTimeout: 0` would also switch off the header timeout, letting slowloris clients
 * hold sockets forever; bodies have their own deadline (read-body.ts), answers the handler's.
 */
export const CONNECTION_LIMITS: ConnectionLimits = { headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_000, checkIntervalMs: 1_000 };
// Long enough for the slowest body allowed (60 s) on top of the headers; only counts until the request is received.
const REQUEST_TIMEOUT_MS = 120_000;
const LIMIT_LOG_EVERY_MS = 10_000;

export interface RunningServer {
  port: number;
  /** The port asked for, when it was taken and another was used. */
  movedFrom?: number;
  /** Stops accepting, lets in-flight requests finish for `drainMs`, then closes every connection. */
  close(drainMs: number): Promise<void>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const PORT_TRIES = 20;

function tryListen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

export async function startServer(options: ListenOptions): Promise<RunningServer> {
  const limits = { ...CONNECTION_LIMITS, ...options.limits };
  const listener = options.listener ?? (options.fetch ? getRequestListener(options.fetch as never) : undefined);
  if (listener === undefined) throw new TypeError("startServer needs a listener or a fetch handler");
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: Math.max(REQUEST_TIMEOUT_MS, limits.headersTimeoutMs),
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  let lastLimitLog = -Infinity;
  server.on("drop", () => {
    const now = performance.now();
    if (now - lastLimitLog < LIMIT_LOG_EVERY_MS) return;
    lastLimitLog = now;
    options.onLimit?.(`${limits.maxConnections} connections are open (the cap): new connections are refused until some close; idle ones close after ${Math.round(limits.keepAliveTimeoutMs / 1000)} s, slow ones after ${Math.round(limits.headersTimeoutMs / 1000)} s`);
  });
  let port = options.port;
  for (let attempt = 0; ; attempt++) {
    try {
      port = await tryListen(server, port, options.host);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE" && !options.explicitPort && attempt < PORT_TRIES) {
        port++;
        continue;
      }
      if (code === "EADDRINUSE") throw new EnvironmentError(`port ${port} on ${options.host} is already in use`, "stop the program using it, or choose another with --port <n>");
      if (code === "EACCES") throw new EnvironmentError(`permission denied to listen on ${options.host}:${port}`, "use a port above 1023");
      if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new EnvironmentError(`cannot listen on ${options.host}: no such address on this machine`, "use --host 127.0.0.1");
      throw new EnvironmentError(`cannot listen on ${options.host}:${port}: ${code ?? String(error)}`);
    }
  }
  const running: RunningServer = {
    port,
    async close(drainMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), drainMs);
      await closed;
      clearTimeout(timer);
    },
  };
  if (port !== options.port && options.port !== 0) running.movedFrom = options.port;
  return running;
}
