/**
 * `npm run demo`: a two-minute tour on the bundled examples. Validates them (and a plugin written
 * the way Dify's docs show, to see the diagnostics), then starts `dev` on each example, calls its
 * endpoint the way a webhook would, and stops it again.
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { styleText } from "node:util";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/endpoint-kit.js", import.meta.url));

function step(title: string): void {
  const line = `== ${title}`;
  console.log(`\n${process.stdout.isTTY && !process.env.NO_COLOR ? styleText("bold", line) : line}\n`);
}

function cli(args: string[]): void {
  console.log(`$ endpoint-kit ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: "inherit" });
  console.log(`(exit ${result.status})`);
}

async function serve(example: string, path: string): Promise<void> {
  console.log(`$ endpoint-kit dev ${example} --port 0`);
  const child = spawn(process.execPath, [BIN, "dev", example, "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev did not start:\n${output}`)), 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
      const match = /(http:\/\/127\.0\.0\.1:\d+\/e\/[a-z]+)\//.exec(output);
      if (match && output.includes("watching for changes")) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`dev exited with ${code}:\n${output}`)));
  });
  for (const [method, target] of [["GET", `${url}${path}`], ["POST", `${url}${path}`], ["GET", `${url}/nowhere`]] as const) {
    const response = await fetch(target, { method });
    console.log(`\n$ curl -X ${method} ${target}\n${response.status} ${await response.text()}`);
  }
  child.kill("SIGINT");
  await new Promise((resolve) => child.once("exit", resolve));
}

step("validate the bundled examples");
cli(["validate", "examples/hello-python", "examples/hello-typescript"]);
step("validate a plugin written as Dify's docs show it");
cli(["validate", "examples/docs-mistakes"]);
step("serve the TypeScript example and call it");
await serve("examples/hello-typescript", "/hello/world");
step("serve the Python example (real werkzeug in a worker) and call it");
await serve("examples/hello-python", "/hello/world").catch((error: Error) => console.log(`skipped: ${error.message.split("\n")[0]} (is werkzeug installed for python3?)`));
console.log("\nNext: `node bin/endpoint-kit.js dev examples/hello-typescript`, edit examples/hello-typescript/endpoints/hello.ts and call it again.");
