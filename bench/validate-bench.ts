/**
 * `validate` speed: the whole corpus in one call against a bare `node -e 0`, `--help` start-up, and a
 * generated tree of 1,000 groups and 10,000 endpoints.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, printLines, timeNode, type BenchLine } from "./measure.js";

const CORPUS = join(ROOT, "..", "shared", "corpus", "dify");

function generateTree(groups: number, perGroup: number): string {
  const dir = mkdtempSync(join(tmpdir(), "ek-bench-"));
  mkdirSync(join(dir, "group"));
  mkdirSync(join(dir, "endpoints"));
  mkdirSync(join(dir, "_assets"));
  writeFileSync(join(dir, "_assets", "icon.svg"), "<svg/>");
  const list = Array.from({ length: groups }, (_, g) => `    - group/g${g}.yaml`).join("\n");
  writeFileSync(join(dir, "manifest.yaml"), `version: 0.0.1\ntype: plugin\nauthor: bench\nname: bench\nlabel:\n  en_US: Bench\ndescription:\n  en_US: Bench\nicon: icon.svg\ncreated_at: "2024-01-01T00:00:00Z"\nresource:\n  memory: 1048576\n  permission:\n    endpoint:\n      enabled: true\nplugins:\n  endpoints:\n${list}\nmeta:\n  version: 0.0.1\n  arch: [amd64]\n  runner:\n    language: python\n    version: "3.12"\n    entrypoint: main\n`);
  writeFileSync(join(dir, "endpoints", "e.py"), "from dify_plugin import Endpoint\n\nclass E(Endpoint):\n    def _invoke(self, r, values, settings):\n        pass\n");
  for (let g = 0; g < groups; g++) {
    const endpoints: string[] = [];
    for (let e = 0; e < perGroup; e++) {
      const name = `g${g}e${e}`;
      endpoints.push(`  - endpoints/${name}.yaml`);
      writeFileSync(join(dir, "endpoints", `${name}.yaml`), `path: "/g${g}/e${e}/<int:id>"\nmethod: GET\nextra:\n  python:\n    source: endpoints/e.py\n`);
    }
    writeFileSync(join(dir, "group", `g${g}.yaml`), `settings:\n  - name: api_key\n    type: secret-input\n    required: true\n    label:\n      en_US: API key\nendpoints:\n${endpoints.join("\n")}\n`);
  }
  return dir;
}

export function benchValidate(): BenchLine[] {
  const runs = 10;
  const bare = timeNode(["-e", "0"], runs);
  const plugins = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith("_")).map((d) => join(CORPUS, d.name));
  const corpus = timeNode([BIN, "validate", ...plugins], runs);
  const help = timeNode([BIN, "--help"], runs);
  const tree = generateTree(1000, 10);
  const big = timeNode([BIN, "validate", tree, "--format", "json"], 3);
  rmSync(tree, { recursive: true, force: true });
  const lines: BenchLine[] = [
    { name: "node -e 0 (reference)", value: `${bare.toFixed(0)} ms` },
    { name: `validate: corpus, ${plugins.length} plugins in one call`, value: `${corpus.toFixed(0)} ms`, ratio: corpus / bare, target: "<= 2.5x", ok: corpus / bare <= 2.5 },
    { name: "--help", value: `${help.toFixed(0)} ms`, ratio: help / bare },
    { name: "validate: 1,000 groups, 10,000 endpoints", value: `${big.toFixed(0)} ms`, ratio: big / bare, target: "< 2000 ms", ok: big < 2000 },
  ];
  printLines("validate", lines);
  return lines;
}
