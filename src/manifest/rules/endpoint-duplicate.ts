import { defineRule } from "../rule.js";
import { getNode, stringOf } from "../query.js";
import { eachEndpoint } from "../walk.js";

export const endpointDuplicate = defineRule({
  id: "endpoint-duplicate",
  description: "no two endpoints declare the same path and method (the first one wins)",
  severity: "warning",
  check({ project, report }) {
    const seen = new Map<string, string>();
    for (const endpoint of eachEndpoint(project)) {
      const path = stringOf(getNode(endpoint.node, "path"));
      const method = stringOf(getNode(endpoint.node, "method"));
      if (path === undefined || method === undefined) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const first = seen.get(key);
      if (first !== undefined) {
        report(endpoint.file, getNode(endpoint.node, "path")!, `${key} is already declared in ${first}: this endpoint is never reached`, { hint: "remove one of them or change its path or method" });
      } else seen.set(key, endpoint.file.display);
    }
  },
});
