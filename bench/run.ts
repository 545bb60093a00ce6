/**
 * `npm run bench`: runs every benchmark and prints its figures as ratios against references
 * measured in the same run. Pass names to run only some: `npm run bench -- validate`.
 */
import { benchBuild } from "./build-bench.js";
import { benchDev } from "./dev-bench.js";
import { benchInvoke } from "./invoke-bench.js";
import { benchPython } from "./python-bench.js";
import { benchReload } from "./reload-bench.js";
import { benchTest } from "./test-bench.js";
import { benchValidate } from "./validate-bench.js";

const benches: Record<string, () => unknown> = {
  validate: benchValidate,
  dev: benchDev,
  reload: benchReload,
  python: benchPython,
  invoke: benchInvoke,
  build: benchBuild,
  test: benchTest,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  await run();
}
