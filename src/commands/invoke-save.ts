/**
 * `invoke --save <file>`: writes the request just sent and its answer as a fixture file (folders
 * made as needed), so `endpoint-kit test` replays it. Kept apart so a plain `invoke` never loads it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { EnvironmentError, UsageError } from "../errors.js";
import type { Answer } from "../fixtures/compare.js";
import { recordFixture, type RecordedRequest } from "../fixtures/record-fixture.js";
import type { Io } from "../terminal/io.js";

export async function saveFixture(file: string, request: RecordedRequest, answer: Answer, io: Io): Promise<void> {
  const recorded = recordFixture(request, answer);
  if (!recorded.ok) throw new UsageError(`--save: ${recorded.message}`);
  const path = resolve(io.cwd, file);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, recorded.text);
  } catch (error) {
    throw new EnvironmentError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  io.stderr.write(`saved ${relative(io.cwd, path) || file}: \`endpoint-kit test\` replays it\n`);
}
