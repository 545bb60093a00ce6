/**
 * The SDK a Python plugin runs on: the stand-in provides every module and name that real endpoint
 * code imports (the corpus and a recorded list of real sources), refuses what it cannot imitate with
 * a message naming the fix, is as strict as the SDK's models; and a plugin that builds
 * `ChatAppInvocation(self.session)` itself works with the stand-in and with an SDK-shaped
 * `dify_plugin` whose calls back into Dify go through the SDK's transport.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PYTHON, send, skipWithoutPython, startDev } from "./dev-python-harness.js";
import type { DevProcess } from "./dev-python-harness.js";
import { CORPUS_DIR, REPO_ROOT } from "./helpers/repo.js";

const STUB_DIR = join(REPO_ROOT, "python", "sdk_stub");
const FIXTURES = join(REPO_ROOT, "test", "fixtures", "sdk");

interface ImportLine {
  module: string;
  names: string[];
}

function pythonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pythonFiles(path);
    return name.endsWith(".py") ? [path] : [];
  });
}

/** `from dify_plugin... import a, b` (parenthesised over lines too) and `import dify_plugin...`. */
export function scanImports(source: string): ImportLine[] {
  const found: ImportLine[] = [];
  for (const match of source.matchAll(/^[ \t]*from[ \t]+(dify_plugin[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)/gm)) {
    const names = (match[2] ?? "").replace(/[()]/g, "").split(",").map((part) => part.trim().split(/\s+as\s+/)[0]?.trim() ?? "").filter((name) => /^\w+$/.test(name));
    found.push({ module: match[1] ?? "", names });
  }
  for (const match of source.matchAll(/^[ \t]*import[ \t]+(dify_plugin[\w.]*)/gm)) found.push({ module: match[1] ?? "", names: [] });
  return found;
}

/** Runs Python with the stand-in first on the path; prints one JSON line per check. */
function runWithStandIn(code: string): string {
  const run = spawnSync(PYTHON ?? "python3", ["-c", `import sys; sys.path.insert(0, ${JSON.stringify(STUB_DIR)})\n${code}`], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

test("the stand-in SDK provides what real endpoint code imports", { skip: skipWithoutPython }, () => {
  const corpus = pythonFiles(CORPUS_DIR).flatMap((file) => scanImports(readFileSync(file, "utf8")));
  assert.ok(corpus.length > 30, `only ${corpus.length} dify_plugin imports found in the corpus`);
  const recorded = JSON.parse(readFileSync(join(FIXTURES, "endpoint-imports.json"), "utf8")) as { imports: ImportLine[]; pydantic: ImportLine[] };
  const wanted = [...corpus, ...recorded.imports];
  const output = runWithStandIn(`
import importlib, json
missing = []
for item in json.loads(${JSON.stringify(JSON.stringify(wanted))}):
    try:
        module = importlib.import_module(item["module"])
        missing += [item["module"] + "." + name for name in item["names"] if not hasattr(module, name)]
    except Exception as error:
        missing.append(item["module"] + " (" + str(error) + ")")
print(json.dumps(missing))`);
  assert.deepEqual(JSON.parse(output), []);
});

test("the stand-in refuses what it cannot imitate, naming itself and how to install the real SDK", { skip: skipWithoutPython }, () => {
  const output = runWithStandIn(`
import importlib, json
out = []
for name, attr in [("dify_plugin.entities.tool", None), ("dify_plugin", "Tool"), ("dify_plugin.entities.model.nothing_here", None)]:
    try:
        module = importlib.import_module(name)
        if attr: exec("from " + name + " import " + attr)
        out.append("imported " + name)
    except ImportError as error:
        out.append(type(error).__name__ + ": " + str(error))
print(json.dumps(out))`);
  const [tool, toolName, unknown] = JSON.parse(output) as string[];
  assert.match(tool ?? "", /^ModuleNotFoundError: No module named 'dify_plugin\.entities\.tool': .*pydantic models, which endpoint-kit's stand-in dify_plugin cannot imitate honestly; install the real SDK for this Python: `.+ -m pip install dify_plugin`/);
  assert.match(toolName ?? "", /^ImportError: dify_plugin\.Tool is part of the SDK's pydantic models/);
  assert.match(unknown ?? "", /^ModuleNotFoundError: No module named 'dify_plugin\.entities\.model\.nothing_here': .* is not provided by endpoint-kit's stand-in dify_plugin .* -m pip install dify_plugin/);
});

test("the stand-in's models are as strict as the SDK's", { skip: skipWithoutPython }, () => {
  const output = runWithStandIn(`
import json
from dify_plugin.entities.model import ModelType
from dify_plugin.entities.model.llm import LLMModelConfig
from dify_plugin.entities.model.tts import TTSModelConfig
out = {}
try:
    LLMModelConfig(provider="openai", model="gpt-4o")
except ValueError as error:
    out["no_mode"] = type(error).__name__ + ": " + str(error).splitlines()[0] + " / " + str(error).splitlines()[1]
config = LLMModelConfig(provider="openai", model="gpt-4o", mode="chat", model_type="llm")
out["enum"] = config.model_type is ModelType.LLM
out["dump"] = config.model_dump(mode="json", exclude={"completion_params"})
try:
    TTSModelConfig(provider="openai", model="tts-1", voice="alloy", model_type="speech")
except ValueError as error:
    out["bad_enum"] = str(error).splitlines()[1]
print(json.dumps(out))`);
  assert.deepEqual(JSON.parse(output), {
    no_mode: "ValidationError: 1 validation error for LLMModelConfig / mode",
    enum: true,
    dump: { provider: "openai", model: "gpt-4o", model_type: "llm", mode: "chat" },
    bad_enum: "model_type",
  });
});

for (const sdk of ["stand-in", "SDK-shaped dify_plugin"] as const) {
  test(`a plugin that builds ChatAppInvocation(self.session) itself is answered from the stubs (${sdk})`, { skip: skipWithoutPython, timeout: 60_000 }, async () => {
    const scratch = mkdtempSync(join(tmpdir(), "ek-python-sdk-"));
    const dir = join(scratch, "plugin");
    cpSync(join(FIXTURES, "plugin"), dir, { recursive: true });
    const previous = process.env.PYTHONPATH;
    if (sdk === "stand-in") delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = join(FIXTURES, "fake-sdk");
    let dev: DevProcess | undefined;
    try {
      dev = await startDev(dir);
      assert.match(dev.output(), sdk === "stand-in" ? /sdk +dify_plugin stand-in/ : /sdk +dify_plugin 0\.7\.4\n/);
      const answer = await send(dev.url("/bot"), "POST", JSON.stringify({ text: "hi" }));
      assert.equal(answer.status, 200, `${answer.body}\n${dev.output()}`);
      assert.deepEqual(JSON.parse(answer.body), {
        answer: "Hello from a stub",
        streamed: "Hello",
        last: "hi",
        missing: "Exception",
        session: sdk === "stand-in" ? "endpoint_kit_runtime.session" : "dify_plugin.core.runtime",
      });
    } finally {
      if (previous === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = previous;
      await dev?.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}
