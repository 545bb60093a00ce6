import { defineRule, type Span } from "../rule.js";
import { getPair, describeNode } from "../query.js";
import { eachEndpoint } from "../walk.js";
import { parseRule } from "../../router/parse-rule.js";
import type { YamlFile } from "../model.js";
import type { YamlScalar } from "../yaml.js";

/** Maps an offset inside the rule text to the file, when the scalar is written without escapes. */
function spanInRule(file: YamlFile, node: YamlScalar, value: string, offset: number, length: number): Span {
  const inner = node.quoted ? node.start + 1 : node.start;
  if (file.text.slice(inner, inner + value.length) !== value) return node;
  return { start: inner + offset, end: inner + offset + Math.max(1, length) };
}

export const endpointPath = defineRule({
  id: "endpoint-path",
  description: "each endpoint has a `path` that is a valid werkzeug rule starting with `/` (converters and their arguments included)",
  severity: "error",
  check({ project, report }) {
    for (const endpoint of eachEndpoint(project)) {
      const pair = getPair(endpoint.node, "path");
      if (!pair) {
        report(endpoint.file, { start: endpoint.node.start, end: endpoint.node.start }, "the endpoint has no `path`", { hint: 'add `path: "/hello"`' });
        continue;
      }
      const node = pair.value;
      if (node.kind !== "scalar" || typeof node.value !== "string") {
        report(endpoint.file, node, `\`path\` must be a string, not ${describeNode(node)}`);
        continue;
      }
      const parsed = parseRule(node.value);
      if (parsed.kind === "error") {
        const span = spanInRule(endpoint.file, node, node.value, parsed.offset, parsed.length);
        // Only a span inside the written text (no escapes in between) can be edited safely.
        const fix = parsed.replacement !== undefined && span !== node && "start" in span
          ? { title: `use \`${parsed.replacement}\``, edits: [{ start: span.start, end: span.end, text: parsed.replacement }] }
          : undefined;
        report(endpoint.file, span, `invalid path rule: ${parsed.message} (the plugin would crash at start)`, { hint: parsed.hint, fix });
        continue;
      }
      for (const warning of parsed.warnings) {
        report(endpoint.file, spanInRule(endpoint.file, node, node.value, warning.offset, warning.length), warning.message, { severity: "warning", hint: warning.hint });
      }
      if (parsed.isBranch && node.value !== "/") {
        report(endpoint.file, node, `path ${JSON.stringify(node.value)} ends with \`/\`: callers that leave the slash out get a 404 on Dify`, {
          severity: "warning",
          hint: `use ${JSON.stringify(node.value.replace(/\/+$/, ""))} unless callers always send the slash`,
        });
      }
    }
  },
});
