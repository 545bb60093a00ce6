/**
 * `endpoint-kit package [dir]`: the `.difypkg` Dify installs. Validates for Dify first, selects files
 * as Dify's packager does (so the identity matches), refuses secrets and local files, enforces the
 * size limit, zips, optionally signs, and prints `author/name:version@checksum`.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { formatDiagnostics, summarize } from "../diagnostics/index.js";
import { EnvironmentError, EXIT, InputError, UsageError } from "../errors.js";
import type { Project } from "../manifest/model.js";
import { getIn, stringOf } from "../manifest/query.js";
import { assemblePackage, type SignOptions } from "../package/assemble.js";
import { collectPluginFiles, readCollectedFiles, type Collection } from "../package/collect.js";
import { exportRequirements, GENERATED_REQUIREMENTS, needsGeneratedRequirements } from "../package/generated-files.js";
import { formatIdentity, identityOf, isUuidLikeAuthor } from "../package/identity.js";
import { readKeyFile } from "../package/key-file.js";
import { findRefusals, looksLikeSettingsFile, type Refusal } from "../package/must-not-ship.js";
import { VERIFICATION_FILE, type Category } from "../package/signature.js";
import { BYTES_PER_MB, checkSizeLimit, DEFAULT_MAX_SIZE_MB, formatBytes } from "../package/size-limit.js";
import type { PackageFlags } from "../program.js";
import { checkPaths } from "../project/check.js";
import { declaredSettings } from "../settings/declared.js";
import { useColor, type Io } from "../terminal/io.js";

/** Test seam: the clock the signature's time comes from. */
export interface PackageDependencies {
  now?: () => Date;
}

export async function runPackage(dir: string, flags: PackageFlags, io: Io, deps: PackageDependencies = {}): Promise<number> {
  if (flags.category && !flags.sign) throw new UsageError("--category needs --sign <private key>");
  const root = resolve(io.cwd, dir);
  const project = await validateForDify(root, io);
  if (typeof project === "number") return project;

  const author = identityOf(project.manifest?.root).author;
  if (isUuidLikeAuthor(author)) {
    throw new InputError(`manifest.yaml: the author "${author}" looks like a UUID, and Dify refuses the upload ("cannot set author to an UUID")`, "use your Dify marketplace name as the author");
  }
  const collection = await collectPluginFiles(root);
  const settingsFiles = await findSettingsFiles(root, collection, project);
  const refusals = findRefusals(collection.files.map((f) => f.path), collection.patterns, settingsFiles);
  if (refusals.length > 0 && !flags.force) {
    io.stderr.write(renderRefusals(refusals, collection));
    return EXIT.invalid;
  }
  for (const r of refusals) io.stderr.write(`warning: packaging ${describe(r)} because of --force: ${r.reason}\n`);
  if (flags.sign && collection.files.some((f) => f.path === VERIFICATION_FILE)) {
    io.stderr.write(`warning: the plugin's own ${VERIFICATION_FILE} is replaced by the signature's\n`);
  }

  const limit = (flags.maxSize ?? DEFAULT_MAX_SIZE_MB) * BYTES_PER_MB;
  const excess = checkSizeLimit(collection.files, limit);
  if (excess) {
    io.stderr.write(`error: the plugin is ${excess.total} bytes uncompressed, over the limit of ${excess.limit} bytes (--max-size ${flags.maxSize ?? DEFAULT_MAX_SIZE_MB})\n`);
    io.stderr.write("the largest files:\n");
    excess.largest.forEach((f, i) => io.stderr.write(`  ${i + 1}. ${f.path}  ${f.size} bytes (${formatBytes(f.size)})\n`));
    io.stderr.write(`hint: add what need not ship to ${collection.ignoreFile ?? ".difyignore"}, or raise --max-size (Dify refuses uploads over its MAX_PLUGIN_PACKAGE_SIZE, 50 MB by default)\n`);
    return EXIT.invalid;
  }

  const sign = flags.sign ? await loadSigner(flags.sign, flags.category ?? "langgenius", io, deps) : undefined;
  const files = await readCollectedFiles(root, collection.files);
  const language = stringOf(getIn(project.manifest?.root, ["meta", "runner", "language"]));
  if (await needsGeneratedRequirements(root, language)) {
    io.stderr.write("requirements.txt: exported from uv.lock with `uv export`, as Dify's packager does\n");
    files.push({ path: GENERATED_REQUIREMENTS, data: await exportRequirements(root, io.env) });
  }
  const pkg = assemblePackage(files, sign);
  const identity = identityOf(project.manifest?.root);
  const output = await outputPath(flags.output, io.cwd, `${identity.name}-${identity.version}.difypkg`);
  await writeAtomically(output, pkg.bytes);

  io.stdout.write(`${formatIdentity(identity, pkg.checksum)}\n`);
  io.stdout.write(`  ${pkg.entries.length} files, ${formatBytes(pkg.size)} uncompressed, ${formatBytes(pkg.bytes.length)} packaged\n`);
  if (sign) io.stdout.write(`  signed for the ${sign.category} category with ${flags.sign}\n`);
  io.stdout.write(`  -> ${relative(io.cwd, output) || output}\n`);
  return EXIT.ok;
}

/** Runs `validate --target dify`; prints the report and returns an exit code when it finds errors. */
async function validateForDify(root: string, io: Io): Promise<Project | number> {
  const result = await checkPaths([root], io.cwd, { target: "dify" });
  for (const message of result.unreadable) io.stderr.write(`${message}\n`);
  if (result.unreadable.length > 0) return EXIT.environment;
  const project = result.projects[0];
  if (!project?.manifest || project.root !== root) {
    throw new InputError(`${root}: no manifest.yaml here; Dify needs it at the package root`, "run package on the plugin folder (the one holding manifest.yaml)");
  }
  const summary = summarize(result.diagnostics, result.files);
  if (summary.errors > 0) {
    io.stderr.write(formatDiagnostics("text", result.diagnostics, { sources: result.sources, color: useColor(io, "stderr"), summary, rules: [], toolVersion: "", informationUri: "" }));
    io.stderr.write("error: the plugin has errors Dify would reject; nothing was packaged\n");
    return EXIT.invalid;
  }
  if (summary.warnings > 0) io.stderr.write(`validate: ${summary.warnings} warning${summary.warnings === 1 ? "" : "s"} (run \`endpoint-kit validate --target dify\` to see them)\n`);
  return project;
}

/** YAML files the plugin does not reference whose keys are all its declared settings: `dev --settings` files. */
async function findSettingsFiles(root: string, collection: Collection, project: Project): Promise<Set<string>> {
  const names = new Set(project.groups.flatMap((g) => declaredSettings(g).map((s) => s.name)));
  const referenced = new Set(project.files.map((f) => f.relative));
  const found = new Set<string>();
  for (const file of collection.files) {
    if (!/\.ya?ml$/i.test(file.path) || referenced.has(file.path) || /\.(example|sample|template)\./i.test(file.path) || file.size > 1024 * 1024) continue;
    const text = await readFile(join(root, ...file.path.split("/")), "utf8").catch(() => "");
    if (looksLikeSettingsFile(text, names)) found.add(file.path);
  }
  return found;
}

function describe(r: Refusal): string {
  return r.files > 1 || r.path.endsWith("/") ? `${r.path} (${r.files} file${r.files === 1 ? "" : "s"})` : r.path;
}

function renderRefusals(refusals: readonly Refusal[], collection: Collection): string {
  const width = Math.min(40, Math.max(...refusals.map((r) => describe(r).length)));
  let out = `error: ${refusals.length === 1 ? "this would ship" : "these would ship"} in the package but must not:\n`;
  for (const r of refusals) out += `  ${describe(r).padEnd(width)}  ${r.reason}\n`;
  const lines = [...new Set(refusals.map((r) => r.ignoreLine))];
  const target = collection.ignoreFile ?? ".difyignore";
  out += `hint: add ${lines.length === 1 ? "this line" : "these lines"} to ${target}:\n${lines.map((l) => `  ${l}\n`).join("")}`;
  if (collection.ignoreFile === ".gitignore") out += "  (or create .difyignore: Dify then reads it instead of .gitignore, so copy what .gitignore excludes)\n";
  out += "  to ship one on purpose, name it in a `!` line of the ignore file (Dify ignores negations); --force packages them all anyway\n";
  return out;
}

async function loadSigner(keyPath: string, category: Category, io: Io, deps: PackageDependencies): Promise<SignOptions> {
  return { key: await readKeyFile(keyPath, "private", io.cwd), category, time: signingTime(io, deps) };
}

/** Now, or `SOURCE_DATE_EPOCH` for reproducible builds. */
function signingTime(io: Io, deps: PackageDependencies): number {
  const epoch = io.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return Number(epoch);
  return Math.floor((deps.now?.() ?? new Date()).getTime() / 1000);
}

async function outputPath(given: string | undefined, cwd: string, defaultName: string): Promise<string> {
  if (given === undefined) return resolve(cwd, defaultName);
  const path = resolve(cwd, given);
  const isDir = given.endsWith("/") || given.endsWith(sep) || (await stat(path).then((s) => s.isDirectory(), () => false));
  return isDir ? join(path, defaultName) : path;
}

async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, bytes, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new EnvironmentError(`${path}: cannot write the package (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
