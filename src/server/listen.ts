/**
 * The HTTP listener behind one `startServer()` that returns `close()`: binds the Hono app with
 * @hono/node-server, moves to the next free port when the default one is taken, and shuts down
 * by draining in-flight requests before cutting what is left.
 */
import { createAdaptorServer } from "@hono/node-server";
import type { Server } from "node:http";
import { EnvironmentError } from "../errors.js";

export interface ListenOptions {
  fetch: (request: Request, env: never) => Response | Promise<Response>;
  host: string;
  port: number;
  /** The user chose the port: a taken port is an error instead of a move to the next one. */
  explicitPort: boolean;
}

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
  const server = createAdaptorServer({
    fetch: options.fetch as never,
    serverOptions: { maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 0, keepAliveTimeout: 5000 },
  }) as Server;
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
