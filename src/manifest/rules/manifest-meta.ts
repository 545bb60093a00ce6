import { defineRule } from "../rule.js";
import { quoteNumber } from "../edits.js";
import { getIn, describeNode, showValue } from "../query.js";
import { ARCHES } from "../patterns.js";

export const manifestMeta = defineRule({
  id: "manifest-meta",
  description: "`meta.arch` lists amd64/arm64; `meta.runner.version` and `meta.runner.entrypoint` are strings",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    if (!manifest) return;
    const arch = getIn(manifest.root, ["meta", "arch"]);
    if (arch && arch.kind !== "seq") report(manifest, arch, `\`meta.arch\` must be a list such as [amd64, arm64], not ${describeNode(arch)}`);
    if (arch?.kind === "seq") {
      if (arch.items.length === 0) report(manifest, arch, "`meta.arch` is empty", { hint: "use `arch: [amd64, arm64]`" });
      for (const item of arch.items) {
        if (!(item.kind === "scalar" && typeof item.value === "string" && (ARCHES as readonly string[]).includes(item.value))) {
          report(manifest, item, `unknown architecture ${showValue(item)} in \`meta.arch\``, { hint: "use `amd64` or `arm64`" });
        }
      }
    }
    for (const key of ["version", "entrypoint"]) {
      const node = getIn(manifest.root, ["meta", "runner", key]);
      if (node && !(node.kind === "scalar" && node.value !== null && typeof node.value !== "boolean" && String(node.value) !== "")) {
        report(manifest, node, `\`meta.runner.${key}\` must be a string, not ${describeNode(node)}`);
      } else if (node?.kind === "scalar" && typeof node.value === "number") {
        const text = manifest.text.slice(node.start, node.end);
        report(manifest, node, `\`meta.runner.${key}\` is the number ${text}: Dify reads a string`, { hint: `quote the value: \`"${text}"\``, severity: "warning", fix: quoteNumber(text, node) });
      }
    }
  },
});
