/**
 * Writing, the only part of `validate --fix` that changes the disk. Every write is checked first:
 * the path is relative, stays inside the plugin, and no part of it (the file or a folder on the
 * way) is a symbolic link, so a fix can never write through a link to somewhere else. Existing
 * files are replaced atomically (a temporary file renamed over them) and keep their mode and a
 * byte-order mark they had; new files never overwrite anything.
 */
import { constants } from "node:fs";
import { lstat, mkdir, mkdtemp, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export class UnsafeWriteError extends Error {}

export interface FileWriter {
  /** Replaces an existing file's text, or creates a new file (and its folders). */
  write(relativePath: string, text: string): Promise<void>;
}

/** A writer confined to `root`. */
export function createWriter(root: string): FileWriter {
  const base = resolve(root);
  return {
    async write(relativePath, text) {
      const target = await checkTarget(base, relativePath);
      const existing = await lstat(target).catch(() => undefined);
      if (existing === undefined) {
        await makeFolders(base, dirname(target));
        await writeFile(target, text, { flag: "wx" });
        return;
      }
      if (!existing.isFile()) throw new UnsafeWriteError(`${relativePath}: not a regular file`);
      const bom = await startsWithBom(target);
      const temporary = `${target}.endpoint-kit-${process.pid}.tmp`;
      await writeFile(temporary, (bom && !text.startsWith("\uFEFF") ? "\uFEFF" : "") + text, { flag: "wx", mode: existing.mode & 0o777 });
      try {
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
  };
}

/** A fresh folder under the system's temporary folder, and a way to remove it. */
export async function createScratch(): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "endpoint-kit-fix-"));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

async function checkTarget(base: string, relativePath: string): Promise<string> {
  if (relativePath === "" || isAbsolute(relativePath) || relativePath.includes("\0") || relativePath.includes("\\")) {
    throw new UnsafeWriteError(`${relativePath}: not a relative path inside the plugin`);
  }
  const target = resolve(base, relativePath);
  const inside = relative(base, target);
  if (inside === "" || inside.startsWith(`..${sep}`) || inside === ".." || isAbsolute(inside)) {
    throw new UnsafeWriteError(`${relativePath}: outside the plugin`);
  }
  // No link anywhere from the plugin root down to the file.
  let at = base;
  for (const part of inside.split(sep)) {
    at = join(at, part);
    const info = await lstat(at).catch(() => undefined);
    if (info === undefined) break;
    if (info.isSymbolicLink()) throw new UnsafeWriteError(`${relativePath}: ${relative(base, at)} is a symbolic link`);
  }
  return target;
}

async function makeFolders(base: string, folder: string): Promise<void> {
  const parts = relative(base, folder).split(sep).filter(Boolean);
  let at = base;
  for (const part of parts) {
    at = join(at, part);
    const info = await lstat(at).catch(() => undefined);
    if (info === undefined) await mkdir(at);
    else if (!info.isDirectory()) throw new UnsafeWriteError(`${relative(base, at)}: not a folder`);
  }
  if (!(await stat(folder)).isDirectory()) throw new UnsafeWriteError(`${relative(base, folder)}: not a folder`);
}

async function startsWithBom(path: string): Promise<boolean> {
  const handle = await open(path, constants.O_RDONLY);
  try {
    const buffer = Buffer.alloc(3);
    const { bytesRead } = await handle.read(buffer, 0, 3, 0);
    return bytesRead === 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  } finally {
    await handle.close();
  }
}
