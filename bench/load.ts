/**
 * A small HTTP load generator for the benchmarks: `connections` concurrent keep-alive clients send
 * GET requests until `requests` have been answered. Used to compare `dev` with a reference server
 * in the same run, so both see exactly the same client.
 */
import { Agent, request } from "node:http";

export interface LoadOptions {
  connections: number;
  requests: number;
  /** Requests sent first and not counted (connections opened, code paths warm). Default: 4 per connection. */
  warmup?: number;
}

export interface LoadResult {
  /** Answered requests per second over the measured part. */
  rps: number;
  /** Requests that failed at the socket or answered with a status other than 2xx. */
  errors: number;
}

export async function load(url: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const path = `${target.pathname}${target.search}`;
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request({ host: target.hostname, port: target.port, path, method: "GET", agent }, (res) => {
        if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) errors++;
        res.on("error", () => undefined);
        res.on("end", () => resolve());
        res.resume();
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const run = async (count: number) => {
    let issued = 0;
    const client = async () => {
      while (issued < count) {
        issued++;
        await one();
      }
    };
    await Promise.all(Array.from({ length: options.connections }, client));
  };
  try {
    await run(options.warmup ?? options.connections * 4);
    errors = 0;
    const started = performance.now();
    await run(options.requests);
    const seconds = (performance.now() - started) / 1000;
    return { rps: options.requests / seconds, errors };
  } finally {
    agent.destroy();
  }
}
