/**
 * `endpoint-kit init [dir]` creates a plugin; `endpoint-kit init endpoint <name>` adds an endpoint to
 * one. Answers come from flags and prompts (`scaffold/questions.ts`), files are planned purely
 * (`scaffold/plan.ts`) and written by `scaffold/write.ts`; this file wires them and prints.
 */
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { CancelledError, EXIT, InputError } from "../errors.js";
import { packageVersion } from "../package-root.js";
import type { InitEndpointFlags, InitFlags } from "../program.js";
import { appendListItem } from "../scaffold/yaml-list.js";
import type { Language } from "../scaffold/answers.js";
import { checkEndpointName } from "../scaffold/names.js";
import { planEndpointFixture } from "../scaffold/fixture-plan.js";
import { dependsOnEndpointKit } from "../scaffold/modeline.js";
import { planScaffold, type PlannedFile } from "../scaffold/plan.js";
import { readPluginInfo } from "../scaffold/plugin-info.js";
import { answerDir, answerMethod, answerPlugin, type AnswerContext } from "../scaffold/questions.js";
import { checkPath } from "../scaffold/names.js";
import { exampleFor } from "../scaffold/rule-check.js";
import { loadTemplate } from "../scaffold/templates.js";
import { pluginValues, templateValues } from "../scaffold/values.js";
import { writePlan } from "../scaffold/write.js";
import { parseYamlMapping } from "../manifest/yaml.js";
import { declaredSettingsIn } from "../settings/declared.js";
import { createPainter, useColor, type Io } from "../terminal/io.js";
import { createTerminalAsk, type Ask } from "../terminal/prompts.js";

/** Test seams: scripted answers and a fixed clock. */
export interface InitDependencies {
  ask?: Ask;
  now?: Date;
}

function answerContext(io: Io, yes: boolean, deps: InitDependencies): AnswerContext {
  const interactive = !yes && io.stdin.isTTY === true;
  return { cwd: io.cwd, ask: interactive ? (deps.ask ?? createTerminalAsk(io)) : undefined, yes, env: io.env, now: deps.now ?? new Date() };
}

/** Ctrl+C at a prompt: say so, write nothing, exit 130. */
async function cancellable(io: Io, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    io.stderr.write("Cancelled\n");
    return EXIT.cancelled;
  }
}

function warnIfNoExample(io: Io, path: string, method: string, language: Language, file: string): void {
  if (language === "typescript" && !exampleFor(path, method).matched) {
    io.stderr.write(`warning: no example request matches ${path}; adjust the request in ${file}\n`);
  }
}

export async function runInit(dir: string | undefined, flags: InitFlags, io: Io, deps: InitDependencies = {}): Promise<number> {
  return cancellable(io, async () => {
    const ctx = answerContext(io, flags.yes === true, deps);
    const target = await answerDir(ctx, dir);
    const answers = await answerPlugin(ctx, target, flags);
    const template = await loadTemplate(answers.language, flags.template, io.cwd);
    const files = planScaffold(template.files, { templateName: template.name, values: pluginValues(answers), settings: answers.settings, schemas: { version: packageVersion() } });
    // Only the bundled templates' handlers are known to give the answer the fixture records.
    if (flags.template === undefined) addFixture(files, planEndpointFixture(answers.endpoint, answers.settings));
    const root = resolve(io.cwd, target);
    const display = relative(io.cwd, root) || ".";
    io.stderr.write(`Creating ${answers.language} plugin ${answers.name} in ${display}\n`);
    const report = await writePlan({ root, displayRoot: display, files, force: flags.force === true });
    warnIfNoExample(io, answers.endpoint.path, answers.endpoint.method, answers.language, `test/${answers.endpoint.name}.test.mjs`);
    io.stdout.write(renderSummary(io, display, files, report.replaced, nextSteps(display, answers.language)));
    return EXIT.ok;
  });
}

export async function runInitEndpoint(name: string, flags: InitEndpointFlags, io: Io): Promise<number> {
  const root = resolve(io.cwd, flags.dir);
  const display = relative(io.cwd, root) || ".";
  const plugin = await readPluginInfo(root, display);
  const nameError = checkEndpointName(name, plugin.language);
  if (nameError !== undefined) throw new InputError(nameError);
  const pathError = checkPath(flags.path);
  if (pathError !== undefined) throw new InputError(pathError);
  const method = await answerMethod({ ask: undefined }, flags.method);

  const template = await loadTemplate(plugin.language, flags.template, io.cwd);
  const endpoint = { name, path: flags.path, method };
  const files = planScaffold(template.files, { templateName: template.name, values: templateValues(plugin, endpoint), settings: [], only: "endpoint_name",
    schemas: { version: packageVersion(), installed: dependsOnEndpointKit(await readFile(join(root, "package.json"), "utf8").catch(() => undefined)) } });
  const endpointFile = files.find((f) => f.path.endsWith(".yaml"))?.path ?? `endpoints/${name}.yaml`;
  if (flags.template === undefined) {
    const group = parseYamlMapping(plugin.groupText.replace(/^\uFEFF/, ""));
    addFixture(files, planEndpointFixture(endpoint, declaredSettingsIn(group.ok ? group.root : undefined)));
  }

  const bom = plugin.groupText.startsWith("\uFEFF") ? "\uFEFF" : "";
  const edit = appendListItem(plugin.groupText.slice(bom.length), "endpoints", endpointFile);
  if (!edit.ok) throw new InputError(`${relative(io.cwd, resolve(root, plugin.groupFile))}: cannot add the endpoint: ${edit.message}`, `add "${endpointFile}" to its endpoints list by hand`);
  const edits: PlannedFile[] = edit.changed ? [{ path: plugin.groupFile, bytes: new TextEncoder().encode(bom + edit.text) }] : [];

  const report = await writePlan({ root, displayRoot: display, files, force: flags.force === true, edits });
  warnIfNoExample(io, endpoint.path, endpoint.method, plugin.language, `test/${name}.test.mjs`);
  const changed = [...files, ...edits];
  const next = [...cdStep(display), "npx endpoint-kit validate", "npx endpoint-kit dev"];
  io.stdout.write(renderSummary(io, display, changed, [...report.replaced.filter((p) => p !== plugin.groupFile)], next, edits.map((e) => e.path)));
  return EXIT.ok;
}

/** Adds the endpoint's fixture unless the template already has a file there. */
function addFixture(files: PlannedFile[], fixture: PlannedFile): void {
  if (!files.some((f) => f.path === fixture.path)) files.push(fixture);
}


function cdStep(display: string): string[] {
  return display === "." ? [] : [`cd ${/^[\w./-]+$/.test(display) ? display : `'${display.replaceAll("'", "'\\''")}'`}`];
}

function nextSteps(display: string, language: Language): string[] {
  const steps = cdStep(display);
  if (language === "python") steps.push("python3 -m venv .venv && .venv/bin/pip install -r requirements.txt");
  else steps.push("npm install");
  steps.push("npx endpoint-kit dev", "npx endpoint-kit validate");
  return steps;
}

/** The files written (marked when replaced or edited) and the commands to run next. */
export function renderSummary(io: Io, display: string, files: readonly PlannedFile[], replaced: readonly string[], next: readonly string[], edited: readonly string[] = []): string {
  const paint = createPainter(useColor(io, "stdout"));
  const lines = [`${paint("green", "Done.")} Files in ${display}:`];
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const note = edited.includes(file.path) ? " (endpoint added)" : replaced.includes(file.path) ? " (replaced)" : "";
    lines.push(`  ${file.path}${paint("dim", note)}`);
  }
  lines.push("", "Next:", ...next.map((step) => `  ${paint("cyan", step)}`));
  return `${lines.join("\n")}\n`;
}
