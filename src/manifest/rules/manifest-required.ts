import { defineRule } from "../rule.js";
import { getIn, getPairIn } from "../query.js";
import { requiredManifestPaths } from "../shape.js";

const REQUIRED: ReadonlyArray<readonly string[]> = requiredManifestPaths();

export const manifestRequired = defineRule({
  id: "manifest-required",
  description: "manifest.yaml has every field Dify requires",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    if (!manifest?.root) return;
    for (const path of REQUIRED) {
      const parent = path.length === 1 ? manifest.root : getIn(manifest.root, path.slice(0, -1));
      if (parent?.kind !== "map") continue; // the missing parent is reported once, not per child
      if (getIn(manifest.root, path) === undefined) {
        // Point at the parent's key (`runner:`); a missing top-level field at the start of the file.
        const at = getPairIn(manifest.root, path.slice(0, -1))?.keyNode ?? { start: parent.start, end: parent.start };
        report(manifest, at, `missing required field \`${path.join(".")}\``);
      }
    }
  },
});
