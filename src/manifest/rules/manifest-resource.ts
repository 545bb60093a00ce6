import { defineRule } from "../rule.js";
import { getIn, describeNode } from "../query.js";

export const manifestResource = defineRule({
  id: "manifest-resource",
  description: "`resource.memory` is a positive whole number of bytes; `resource.permission.storage.size` is 1024 to 1073741824",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    if (!manifest) return;
    const memory = getIn(manifest.root, ["resource", "memory"]);
    if (memory && !(memory.kind === "scalar" && Number.isInteger(memory.value) && (memory.value as number) > 0)) {
      report(manifest, memory, `\`resource.memory\` must be a positive whole number of bytes, not ${describeNode(memory)}`, { hint: "for example `memory: 268435456` (256 MiB)" });
    }
    const size = getIn(manifest.root, ["resource", "permission", "storage", "size"]);
    if (size && !(size.kind === "scalar" && Number.isInteger(size.value) && (size.value as number) >= 1024 && (size.value as number) <= 1073741824)) {
      report(manifest, size, `\`resource.permission.storage.size\` must be a whole number from 1024 to 1073741824, not ${describeNode(size)}`);
    }
  },
});
