import { defineRule } from "../rule.js";
import { getIn, describeNode, showValue } from "../query.js";
import { TAGS } from "../patterns.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";


export const manifestTags = defineRule({
  id: "manifest-tags",
  description: "`tags` come from Dify's list (search, image, ..., rag, other, trigger)",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    const tags = getIn(manifest?.root, ["tags"]);
    if (!manifest || !tags) return;
    if (tags.kind !== "seq") {
      report(manifest, tags, `\`tags\` must be a list, not ${describeNode(tags)}`);
      return;
    }
    for (const tag of tags.items) {
      const value = tag.kind === "scalar" ? String(tag.value) : "";
      if (!(TAGS as readonly string[]).includes(value)) report(manifest, tag, `unknown tag ${showValue(tag)}`, { hint: didYouMean(value, TAGS) ?? `use one of: ${TAGS.join(", ")}` });
    }
  },
});
