import { defineRule } from "../rule.js";
import { getIn } from "../query.js";

export const groupCount = defineRule({
  id: "group-count",
  description: "a plugin declares one endpoint group (an installed package keeps only the last, remote debug the first)",
  severity: "warning",
  check({ project, report }) {
    const manifest = project.manifest;
    const list = getIn(manifest?.root, ["plugins", "endpoints"]);
    if (!manifest || list?.kind !== "seq" || list.items.length < 2) return;
    for (const extra of list.items.slice(1)) {
      report(manifest, extra, "more than one endpoint group: an installed package keeps only the last one and remote debugging only the first", { hint: "move every endpoint into one group" });
    }
  },
});
