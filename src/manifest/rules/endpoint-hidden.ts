import { defineRule } from "../rule.js";
import { getPair, describeNode } from "../query.js";
import { eachEndpoint } from "../walk.js";

export const endpointHidden = defineRule({
  id: "endpoint-hidden",
  description: "`hidden` is true or false",
  severity: "error",
  check({ project, report }) {
    for (const endpoint of eachEndpoint(project)) {
      const pair = getPair(endpoint.node, "hidden");
      if (pair && !(pair.value.kind === "scalar" && typeof pair.value.value === "boolean")) {
        report(endpoint.file, pair.value, `\`hidden\` must be true or false, not ${describeNode(pair.value)}`);
      }
    }
  },
});
