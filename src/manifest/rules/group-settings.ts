import { defineRule, type Fix, type TextEdit } from "../rule.js";
import { columnOf, isPlainSafe, lineBreakOf } from "../edits.js";
import type { YamlMap } from "../yaml.js";
import { asMap, getNode, getPair, describeNode, stringOf } from "../query.js";

const MAX_SETTINGS = 64;

/**
 * Rewrites the map form as a list, one item per setting with its key as `name`, keeping every
 * line of each setting (comments included) and re-indenting them when needed. Only for block
 * mappings whose settings are block mappings without a `name`: anything else is not certain.
 */
function listFormFix(text: string, settings: YamlMap): Fix | undefined {
  if (settings.flow || settings.pairs.length === 0) return undefined;
  const edits: TextEdit[] = [];
  for (const { key, keyNode, value } of settings.pairs) {
    const first = value.kind === "map" && !value.flow ? value.pairs[0] : undefined;
    if (!first || value.kind !== "map" || value.pairs.some((p) => p.key === "name")) return undefined;
    const between = /^[ \t]*:[ \t]*(#[^\n]*)?\r?\n[ \t]*$/.exec(text.slice(keyNode.end, first.keyNode.start));
    if (!between) return undefined;
    const column = columnOf(text, keyNode.start);
    const inner = columnOf(text, first.keyNode.start);
    const written = text.slice(keyNode.start, keyNode.end);
    const name = keyNode.quoted || isPlainSafe(key, false) ? written : JSON.stringify(key);
    const comment = between[1] ? `  ${between[1]}` : "";
    edits.push({ start: keyNode.start, end: first.keyNode.start, text: `- name: ${name}${comment}${lineBreakOf(text)}${" ".repeat(column + 2)}` });
    // The setting's other lines move to the item's indentation (column + 2).
    const shift = column + 2 - inner;
    if (shift === 0) continue;
    for (let at = text.indexOf("\n", first.keyNode.start); at >= 0 && at < value.end; at = text.indexOf("\n", at + 1)) {
      const indent = /^[ ]*/.exec(text.slice(at + 1))![0].length;
      // A block scalar's node ends after its last line break: the next line is not part of it.
      if (at + 1 + indent >= value.end) break;
      const rest = text.slice(at + 1 + indent, at + 2 + indent);
      if (rest === "" || rest === "\n" || rest === "\r") continue;
      if (indent < inner) {
        if (rest === "#") continue;
        return undefined;
      }
      edits.push(shift > 0 ? { start: at + 1, end: at + 1, text: " ".repeat(shift) } : { start: at + 1, end: at + 1 - shift, text: "" });
    }
  }
  return { title: "rewrite `settings` as a list", edits };
}

export const groupSettings = defineRule({
  id: "group-settings",
  description: "a group's `settings` is a list of settings (Dify's docs show a map, which both parsers reject), at most 64",
  severity: "error",
  check({ project, report }) {
    for (const group of project.groups) {
      const pair = getPair(group.file.root, "settings");
      if (!pair) continue;
      const node = pair.value;
      if (node.kind === "map") {
        const first = node.pairs[0];
        const type = stringOf(getNode(asMap(first?.value), "type")) ?? "secret-input";
        report(group.file, pair.keyNode, "`settings` must be a list of settings, not a map keyed by name (the form in Dify's docs, which Dify's parsers reject)", {
          fix: listFormFix(group.file.text, node),
          hint: `write one list item per setting with its name inside: \`settings: [{ name: ${first?.key ?? "api_key"}, type: ${type}, ... }]\`, or in block form \`- name: ${first?.key ?? "api_key"}\` with its other keys under it`,
        });
      } else if (node.kind === "seq") {
        if (node.items.length > MAX_SETTINGS) report(group.file, pair.keyNode, `${node.items.length} settings: Dify accepts at most ${MAX_SETTINGS} values for an endpoint`, { severity: "warning" });
        for (const item of node.items) if (item.kind !== "map") report(group.file, item, `each setting must be a mapping with \`name\`, \`type\` and \`label\`, not ${describeNode(item)}`);
      } else if (!(node.kind === "scalar" && node.value === null)) {
        report(group.file, node, `\`settings\` must be a list, not ${describeNode(node)}`, { hint: "use `settings: []` for none" });
      }
    }
  },
});
