import { defineRule } from "../rule.js";
import { describeNode } from "../query.js";
import { LOCALES } from "../patterns.js";
import { closest, didYouMean } from "../../diagnostics/did-you-mean.js";
import { eachI18n } from "../walk.js";
import { replaceScalar, scalarText } from "../edits.js";
import type { Fix } from "../rule.js";
import type { YamlPair } from "../yaml.js";

/** `ja_Jp`, `en-us`: the same locale written differently (`zh_Hant` is another language, not a typo of `zh_Hans`). */
function sameLocale(written: string, locale: string): boolean {
  return written !== locale && written.toLowerCase().replace("-", "_") === locale.toLowerCase();
}

export const i18n = defineRule({
  id: "i18n",
  description: "labels, descriptions, help and placeholders are I18n objects with a non-empty `en_US` (zh_Hans, ja_JP, pt_BR optional)",
  severity: "error",
  check({ project, report }) {
    for (const site of eachI18n(project)) {
      const { file, key, node } = site;
      if (node.kind !== "map") {
        const text = node.kind === "scalar" && typeof node.value === "string" ? node.value : undefined;
        const written = node.kind === "scalar" ? file.text.slice(node.start, node.end) : "";
        // A one-line string becomes its English text: `label: Hello` -> `label: { en_US: Hello }`.
        const fix = text !== undefined && text.trim() !== "" && node.kind === "scalar" && !written.includes("\n") && !/^[|>]/.test(written)
          ? { title: `write it as \`{ en_US: ... }\``, edits: [{ start: node.start, end: node.end, text: `{ en_US: ${scalarText(node, file.text, text, true)} }` }] }
          : undefined;
        report(file, node, `\`${key}\` must be a mapping of languages, not ${describeNode(node)}`, { hint: text !== undefined ? `write it as \`${key}: { en_US: ${JSON.stringify(text)} }\`` : undefined, fix });
        continue;
      }
      const en = node.pairs.find((p) => p.key === "en_US");
      const near = en ? undefined : closest("en_US", node.pairs.map((p) => p.key));
      const rename = (pair: YamlPair, locale: string | undefined): Fix | undefined => {
        const edit = locale !== undefined && !node.pairs.some((p) => p.key === locale) ? replaceScalar(file.text, pair.keyNode, locale, node.flow) : undefined;
        return edit && { title: `rename \`${pair.key}\` to \`${locale}\``, edits: [edit] };
      };
      const enPair = node.pairs.find((p) => sameLocale(p.key, "en_US"));
      if (!en) report(file, site.keyNode, `\`${key}\` has no \`en_US\` text`, { hint: near !== undefined ? `rename \`${near}\` to \`en_US\`` : "add `en_US: ...`", fix: enPair && rename(enPair, "en_US") });
      for (const pair of node.pairs) {
        const value = pair.value;
        const known = (LOCALES as readonly string[]).includes(pair.key);
        if (!known) {
          report(file, pair.keyNode, `unknown language key \`${pair.key}\` in \`${key}\`: Dify drops it`, { severity: "warning", hint: didYouMean(pair.key, LOCALES) ?? `Dify reads ${LOCALES.join(", ")}`, fix: rename(pair, LOCALES.find((l) => sameLocale(pair.key, l))) });
          continue;
        }
        if (!(value.kind === "scalar" && typeof value.value === "string")) {
          if (!(value.kind === "scalar" && (typeof value.value === "number" || typeof value.value === "boolean"))) report(file, value, `\`${key}.${pair.key}\` must be a string, not ${describeNode(value)}`);
          continue;
        }
        if (pair.key === "en_US" && value.value.trim() === "") report(file, value, `\`${key}.en_US\` is empty`);
        if (value.value.length >= 1024) report(file, value, `\`${key}.${pair.key}\` must be shorter than 1024 characters`);
      }
    }
  },
});
