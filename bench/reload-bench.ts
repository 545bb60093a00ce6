/**
 * Reload latency against plugin size: TypeScript plugins of 1, 25 and 100 endpoints, one edit at a
 * time to one endpoint's source, measured by a client outside Node (a Python poller asking every
 * 5 ms, edits 400 ms apart) from the save to the first response that shows it. Also reports what dev
 * itself says a reload took ("reloaded ... in N ms").
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDev, waitForBody } from "./dev-process.js";
import { median, printLines, type BenchLine } from "./measure.js";

const SIZES = [1, 25, 100];
const EDITS = 15;

function source(index: number, marker: string): string {
  return `import { Endpoint } from "endpoint-kit";\n\nexport default class E${index} extends Endpoint {\n  _invoke(_r: Request, values: Record<string, unknown>): Response {\n    return new Response(\`e${index} \${String(values.name)} ${marker}\\n\`);\n  }\n}\n`;
}

/** A TypeScript plugin with `count` endpoints, each `GET /e<i>/<name>` in its own source file. */
function makePlugin(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), `ek-bench-reload-${count}-`));
  for (const sub of ["group", "endpoints", "_assets"]) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, "manifest.yaml"), `version: 0.0.1\ntype: plugin\nauthor: bench\nname: bench\nlabel:\n  en_US: Bench\ndescription:\n  en_US: Bench\nicon: icon.svg\ncreated_at: "2024-01-01T00:00:00Z"\nresource:\n  memory: 1048576\n  permission:\n    endpoint:\n      enabled: true\nplugins:\n  endpoints:\n    - group/bench.yaml\nmeta:\n  version: 0.0.1\n  arch: [amd64]\n  runner:\n    language: typescript\n    version: "20"\n    entrypoint: main\n`);
  writeFileSync(join(dir, "_assets", "icon.svg"), "<svg/>");
  const list: string[] = [];
  for (let i = 0; i < count; i++) {
    list.push(`  - endpoints/e${i}.yaml`);
    writeFileSync(join(dir, "endpoints", `e${i}.yaml`), `path: "/e${i}/<name>"\nmethod: GET\nextra:\n  typescript:\n    source: endpoints/e${i}.ts\n`);
    writeFileSync(join(dir, "endpoints", `e${i}.ts`), source(i, "v0"));
  }
  writeFileSync(join(dir, "group", "bench.yaml"), `settings: []\nendpoints:\n${list.join("\n")}\n`);
  return dir;
}

// The client: saves the file, then polls until the body shows the edit. Prints the latencies (ms) as JSON.
const POLLER = String.raw`
import json, sys, time, urllib.request
url, path, template, edits = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
out = []
for i in range(edits):
    marker = "edit%d" % i
    saved = time.perf_counter()
    with open(path, "w") as f:
        f.write(template.replace("@MARKER@", marker))
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                if marker in r.read().decode():
                    break
        except Exception:
            pass
        if time.perf_counter() - saved > 20:
            sys.exit("never served " + marker)
        time.sleep(0.005)
    out.append((time.perf_counter() - saved) * 1000)
    time.sleep(0.4)
print(json.dumps(out))
`;

function runPoller(python: string, args: string[]): Promise<string> {
  const child = spawn(python, ["-c", POLLER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => child.once("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`the poller failed: ${stderr}`)))));
}

export async function benchReload(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const python = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "0"]).status === 0);
  if (!python) {
    printLines("dev reload latency (TypeScript)", [{ name: "skipped", value: "no python3 for the client" }]);
    return lines;
  }
  for (const count of SIZES) {
    const plugin = makePlugin(count);
    const index = Math.floor(count / 2);
    const file = join(plugin, "endpoints", `e${index}.ts`);
    const dev = await startDev(plugin);
    try {
      const url = `${dev.origin}/e${index}/x`;
      await waitForBody(url, "v0");
      const mark = dev.output().length;
      // Asynchronously: dev's log lines must keep flowing while the client polls.
      const latencies = JSON.parse(await runPoller(python, [url, file, source(index, "@MARKER@"), String(EDITS)])) as number[];
      await new Promise((r) => setTimeout(r, 50));
      const said = [...dev.output().slice(mark).matchAll(/reloaded \([^)]*\) in (\d+(?:\.\d+)?) ms/g)].map((m) => Number(m[1]));
      const p50 = median(latencies);
      lines.push({
        name: `${count} endpoint${count === 1 ? "" : "s"}: save to new response, median of ${EDITS}`,
        value: `${p50.toFixed(0)} ms`,
        ...(count === 100 ? { target: "<= 50 ms", ok: p50 <= 50 } : {}),
      });
      if (said.length > 0) lines.push({ name: `  dev says "reloaded in", median`, value: `${median(said).toFixed(0)} ms` });
    } finally {
      await dev.stop();
      rmSync(plugin, { recursive: true, force: true });
    }
  }
  printLines("dev reload latency (TypeScript, a Python client polling every 5 ms, edits 400 ms apart)", lines);
  return lines;
}
