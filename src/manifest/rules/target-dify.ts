import { defineRule } from "../rule.js";
import { getIn, getPair } from "../query.js";
import { eachEndpoint } from "../walk.js";

export const targetDify = defineRule({
  id: "target-dify",
  description: "with --target dify: every endpoint has `extra.python.source`, since Dify runs only Python",
  severity: "error",
  check({ project, options, report }) {
    if (options.target !== "dify") return;
    for (const endpoint of eachEndpoint(project)) {
      if (getIn(endpoint.node, ["extra", "python", "source"])) continue;
      if (!getIn(endpoint.node, ["extra", "typescript", "source"])) continue; // endpoint-source reports it
      const extra = getPair(endpoint.node, "extra");
      report(endpoint.file, extra?.keyNode ?? { start: endpoint.node.start, end: endpoint.node.start }, "the endpoint has no `extra.python.source`: Dify runs only Python", {
        hint: "add a Python implementation: `extra: { python: { source: endpoints/<name>.py } }`",
      });
    }
  },
});
