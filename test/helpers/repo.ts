/**
 * Where the tests find the repository and the shared corpus of real plugins, from the compiled
 * test file (`dist/test/...`), whatever the working directory is.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root, with a trailing separator. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The corpus of real Dify endpoint plugins, one folder each (`_historical_*` holds a known mistake). */
export const CORPUS_DIR = join(REPO_ROOT, "..", "shared", "corpus", "dify");
