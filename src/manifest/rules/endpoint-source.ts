import { defineRule } from "../rule.js";
import { getIn, getPair, describeNode } from "../query.js";
import { eachEndpoint } from "../walk.js";
import { SOURCE_EXTENSIONS } from "../patterns.js";

export const endpointSource = defineRule({
  id: "endpoint-source",
  description: "each endpoint names its implementation: `extra.python.source` (.py) and/or `extra.typescript.source` (.ts, .mts, .js, .mjs)",
  severity: "error",
  check({ project, report }) {
    for (const endpoint of eachEndpoint(project)) {
      const extra = getPair(endpoint.node, "extra");
      let found = 0;
      for (const language of ["python", "typescript"] as const) {
        const node = getIn(endpoint.node, ["extra", language, "source"]);
        if (!node) continue;
        found++;
        if (node.kind !== "scalar" || typeof node.value !== "string") {
          report(endpoint.file, node, `\`extra.${language}.source\` must be a file path, not ${describeNode(node)}`);
          continue;
        }
        const allowed: readonly string[] = SOURCE_EXTENSIONS[language];
        const path = node.value;
        if (!allowed.some((ext) => path.endsWith(ext))) {
          report(endpoint.file, node, `\`extra.${language}.source\` ${JSON.stringify(path)} is not a ${allowed.join("/")} file`);
        }
      }
      if (found === 0) {
        report(endpoint.file, extra?.keyNode ?? { start: endpoint.node.start, end: endpoint.node.start }, "the endpoint names no source", {
          hint: "add `extra: { python: { source: endpoints/<name>.py } }`",
        });
      }
    }
  },
});
