import { defineRule } from "../rule.js";
import { getPair, describeNode } from "../query.js";
import { HTTP_METHODS, isHttpMethod } from "../patterns.js";
import { eachEndpoint } from "../walk.js";
import { replaceScalar } from "../edits.js";
import type { YamlScalar } from "../yaml.js";

export const endpointMethod = defineRule({
  id: "endpoint-method",
  description: "each endpoint has a `method`: HEAD, GET, POST, PUT, DELETE or OPTIONS, in upper case (PATCH and ANY never match)",
  severity: "error",
  check({ project, report }) {
    for (const endpoint of eachEndpoint(project)) {
      const pair = getPair(endpoint.node, "method");
      if (!pair) {
        report(endpoint.file, { start: endpoint.node.start, end: endpoint.node.start }, "the endpoint has no `method`", { hint: "add `method: GET`" });
        continue;
      }
      const node = pair.value;
      const value = node.kind === "scalar" && typeof node.value === "string" ? node.value : undefined;
      if (value === undefined) {
        report(endpoint.file, node, `\`method\` must be a string, not ${describeNode(node)}`, { hint: `use one of: ${HTTP_METHODS.join(", ")}` });
      } else if (isHttpMethod(value)) {
        continue;
      } else if (isHttpMethod(value.toUpperCase())) {
        const edit = replaceScalar(endpoint.file.text, node as YamlScalar, value.toUpperCase(), endpoint.node.flow);
        report(endpoint.file, node, `method ${JSON.stringify(value)} must be upper case: it works once installed but fails Dify's check in remote debugging`, {
          hint: `use \`${value.toUpperCase()}\``,
          fix: edit && { title: `use \`${value.toUpperCase()}\``, edits: [edit] },
        });
      } else if (value.toUpperCase() === "ANY" || value === "*") {
        report(endpoint.file, node, `method ${JSON.stringify(value)} never matches a request: Dify serves only ${HTTP_METHODS.join(", ")}`, { hint: "declare one endpoint per method (the same path may repeat with another method)" });
      } else if (value.toUpperCase() === "PATCH") {
        report(endpoint.file, node, "method \"PATCH\" never matches a request: Dify does not route PATCH", { hint: "use `PUT` or `POST`" });
      } else {
        report(endpoint.file, node, `unknown method ${JSON.stringify(value)}`, { hint: `use one of: ${HTTP_METHODS.join(", ")}` });
      }
    }
  },
});
