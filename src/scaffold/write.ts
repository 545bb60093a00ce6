/**
 * Writing, the only part of `init` that changes the disk. It checks the whole plan first (conflicts,
 * symbolic links), creates every file exclusively, and on any failure undoes what it did: a new
 * plugin is built in a hidden sibling folder and renamed into place; files added to an existing
 * folder are tracked and removed, and replaced files are restored from backups.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open, rename, rm, rmdir, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { EnvironmentError, InputError, systemErrorText } from "../errors.js";
import type { PlannedFile } from "./plan.js";

export interface WriteRequest {
  /** Absolute path of the target folder. */
  root: string;
  /** The target folder as the user wrote it, for messages. */
  displayRoot: string;
  /** Files to create; with `force`, existing regular files among them are replaced. */
  files: readonly PlannedFile[];
  force: boolean;
  /** Existing files to replace with edited contents (a group file that gains an endpoint). */
  edits?: readonly PlannedFile[];
}

export interface WriteReport {
  created: string[];
  replaced: string[];
}

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

type Kind = "missing" | "file" | "directory" | "symlink" | "other";

async function kindOf(path: string): Promise<Kind> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return "symlink";
    if (info.isFile()) return "file";
    if (info.isDirectory()) return "directory";
    return "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
}

function show(displayRoot: string, rel: string): string {
  return displayRoot === "." ? rel : join(displayRoot, rel);
}

function failure(error: unknown, what: string): EnvironmentError {
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  const reason = systemErrorText(code) ?? code;
  // The hint names the fix for this cause: permissions are rarely why a name is too long.
  const fix = code === "ENAMETOOLONG" ? "choose a shorter folder name" : code === "ENOSPC" || code === "EDQUOT" ? "free some disk space or choose another folder" : "fix the folder's permissions or choose another folder";
  return new EnvironmentError(`cannot write ${what}: ${reason} (${code})`, `nothing was written; ${fix}`);
}

function siblingName(path: string, purpose: string): string {
  return join(dirname(path), `.${basename(path)}.endpoint-kit-${purpose}-${randomBytes(4).toString("hex")}`);
}

/** Creates a new file (never an existing one, never through a link); a file left half written is removed. */
async function createFile(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, CREATE_FLAGS, 0o666);
  try {
    await handle.writeFile(bytes);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

/** Writes a plan, or throws (`InputError` for conflicts and links, `EnvironmentError` for the disk) having changed nothing. */
export async function writePlan(request: WriteRequest): Promise<WriteReport> {
  const rootKind = await kindOf(request.root);
  if (rootKind === "missing") return writeFresh(request);
  const isFolder = rootKind === "directory" || (rootKind === "symlink" && (await stat(request.root).catch(() => undefined))?.isDirectory() === true);
  if (!isFolder) throw new InputError(`${request.displayRoot} exists and is not a folder`);
  return writeInPlace(request);
}

/** A new folder: everything goes into a hidden sibling, renamed into place at the end. */
async function writeFresh(request: WriteRequest): Promise<WriteReport> {
  const parent = dirname(request.root);
  let firstCreatedParent: string | undefined;
  let staging: string | undefined;
  let current = request.displayRoot;
  // Known before mkdir: a recursive mkdir that fails halfway (a name too long) does not say what it made.
  const firstMissing = await firstMissingFolder(parent);
  try {
    current = dirname(request.displayRoot);
    firstCreatedParent = await mkdir(parent, { recursive: true });
    staging = siblingName(request.root, "new");
    await mkdir(staging);
    for (const file of request.files) {
      current = show(request.displayRoot, file.path);
      const target = join(staging, file.path);
      await mkdir(dirname(target), { recursive: true });
      await createFile(target, file.bytes);
    }
    current = request.displayRoot;
    await rename(staging, request.root);
    staging = undefined;
    return { created: request.files.map((f) => f.path), replaced: [] };
  } catch (error) {
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
    const created = firstCreatedParent ?? firstMissing;
    if (created !== undefined) await rm(created, { recursive: true, force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTEMPTY") throw new InputError(`${request.displayRoot} appeared while init was writing it: nothing was written`);
    throw failure(error, current);
  }
}

/** The outermost folder of `dir`'s path that does not exist yet (undefined when `dir` exists). */
async function firstMissingFolder(dir: string): Promise<string | undefined> {
  let missing: string | undefined;
  for (let at = dir; dirname(at) !== at; at = dirname(at)) {
    try {
      await lstat(at);
      return missing;
    } catch (error) {
      // A name too long cannot exist; any other error (permissions) means we must not touch it.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENAMETOOLONG") return missing;
      missing = at;
    }
  }
  return missing;
}

interface Step {
  rel: string;
  bytes: Uint8Array;
  replace: boolean;
}

/** Checks every planned path inside an existing folder: which exist, and that none goes through a link. */
async function inspect(request: WriteRequest): Promise<{ steps: Step[]; dirs: string[] }> {
  const conflicts: string[] = [];
  const steps: Step[] = [];
  const dirs: string[] = [];
  const checked = new Map<string, Kind>();
  const kindCached = async (rel: string) => {
    let kind = checked.get(rel);
    if (kind === undefined) checked.set(rel, (kind = await kindOf(join(request.root, rel))));
    return kind;
  };
  const all = [...request.files.map((f) => ({ f, edit: false })), ...(request.edits ?? []).map((f) => ({ f, edit: true }))];
  for (const { f, edit } of all) {
    const segments = f.path.split("/");
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join("/");
      const kind = await kindCached(dir);
      if (kind === "symlink") throw new InputError(`${show(request.displayRoot, dir)} is a symbolic link: init never writes through one`, "replace the link with a folder, or choose another folder");
      if (kind === "missing" && !dirs.includes(dir)) dirs.push(dir);
      else if (kind !== "directory" && kind !== "missing") throw new InputError(`${show(request.displayRoot, dir)} exists and is not a folder`);
    }
    const kind = await kindCached(f.path);
    if (kind === "symlink") throw new InputError(`${show(request.displayRoot, f.path)} is a symbolic link: init never writes through one`, "remove the link first");
    if (kind === "directory" || kind === "other") throw new InputError(`${show(request.displayRoot, f.path)} exists and is not a regular file`);
    if (edit && kind !== "file") throw new InputError(`${show(request.displayRoot, f.path)} is missing`);
    if (kind === "file" && !edit && !request.force) conflicts.push(show(request.displayRoot, f.path));
    steps.push({ rel: f.path, bytes: f.bytes, replace: kind === "file" });
  }
  if (conflicts.length > 0) {
    throw new InputError(
      `${conflicts.length === 1 ? "a file" : `${conflicts.length} files`} already exist${conflicts.length === 1 ? "s" : ""}, nothing was written:\n  ${conflicts.join("\n  ")}`,
      "pass --force to replace the files init generates, or choose another folder",
    );
  }
  return { steps, dirs };
}

/** An existing folder: create and replace file by file, undoing everything on a failure. */
async function writeInPlace(request: WriteRequest): Promise<WriteReport> {
  const { steps, dirs } = await inspect(request);
  const madeDirs: string[] = [];
  const madeFiles: string[] = [];
  const backups: Array<{ target: string; backup: string }> = [];
  let current = request.displayRoot;
  try {
    for (const dir of dirs) {
      current = show(request.displayRoot, dir);
      await mkdir(join(request.root, dir));
      madeDirs.push(join(request.root, dir));
    }
    for (const step of steps) {
      current = show(request.displayRoot, step.rel);
      const target = join(request.root, step.rel);
      if (!step.replace) {
        await createFile(target, step.bytes);
        madeFiles.push(target);
        continue;
      }
      // Write beside the file, then swap: the old file is kept until everything else succeeded.
      const fresh = siblingName(target, "new");
      await createFile(fresh, step.bytes);
      madeFiles.push(fresh);
      const backup = siblingName(target, "old");
      await rename(target, backup);
      backups.push({ target, backup });
      await rename(fresh, target);
      madeFiles.pop();
    }
  } catch (error) {
    for (const { target, backup } of backups.reverse()) await rename(backup, target).catch(() => undefined);
    for (const file of madeFiles.reverse()) await unlink(file).catch(() => undefined);
    for (const dir of madeDirs.reverse()) await rmdir(dir).catch(() => undefined);
    throw failure(error, current);
  }
  for (const { backup } of backups) await unlink(backup).catch(() => undefined);
  return {
    created: steps.filter((s) => !s.replace).map((s) => s.rel),
    replaced: steps.filter((s) => s.replace).map((s) => s.rel),
  };
}
