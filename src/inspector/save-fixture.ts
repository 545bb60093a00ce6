/**
 * "Save as fixture": one record written into the plugin's `fixtures/` folder as a file that
 * `endpoint-kit test` replays. Never overwrites: a taken name gets a number.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { toFixture } from "./export.js";
import type { CapturedRecord } from "./store.js";

export type SaveResult = { ok: true; path: string } | { ok: false; status: 400 | 422 | 500; message: string };

/** A file name from the request (`post-orders-42`), or the one asked for, kept to safe characters. */
export function fixtureName(record: CapturedRecord, asked?: string): string {
  const base = (asked ?? `${record.request.method} ${record.request.target.split("?")[0]}`)
    .toLowerCase().replace(/\.ya?ml$/, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return base || `request-${record.id}`;
}

export async function saveFixtureFile(root: string, record: CapturedRecord, asked?: string): Promise<SaveResult> {
  const fixture = toFixture(record);
  if (!fixture.ok) return { ok: false, status: 422, message: fixture.message };
  const dir = join(root, "fixtures");
  const name = fixtureName(record, asked);
  try {
    await mkdir(dir, { recursive: true });
    for (let n = 1; n < 1000; n++) {
      const file = join(dir, `${name}${n === 1 ? "" : `-${n}`}.yaml`);
      try {
        await writeFile(file, fixture.text, { flag: "wx" });
        return { ok: true, path: relative(root, file).split(sep).join("/") };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    return { ok: false, status: 500, message: `too many fixtures named ${name}` };
  } catch (error) {
    return { ok: false, status: 500, message: `cannot write into fixtures/: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
}
