import { defineRule } from "../rule.js";
import { getIn, showValue } from "../query.js";
import { RUNNER_LANGUAGES } from "../patterns.js";

export const manifestRunner = defineRule({
  id: "manifest-runner",
  description: "`meta.runner.language` is `python` (or `typescript` when not targeting Dify)",
  severity: "error",
  check({ project, options, report }) {
    const manifest = project.manifest;
    const node = getIn(manifest?.root, ["meta", "runner", "language"]);
    if (!manifest || !node) return;
    const allowed = options.target === "dify" ? ["python"] : [...RUNNER_LANGUAGES];
    const value = node.kind === "scalar" ? node.value : undefined;
    if (typeof value === "string" && allowed.includes(value)) return;
    if (value === "typescript") {
      report(manifest, node, "Dify runs only Python plugins: `meta.runner.language` must be `python` for --target dify", { hint: "add `extra.python.source` to each endpoint and set `language: python`" });
      return;
    }
    report(manifest, node, `unknown runner language ${showValue(node)}`, { hint: `use ${allowed.map((a) => `\`${a}\``).join(" or ")}` });
  },
});
