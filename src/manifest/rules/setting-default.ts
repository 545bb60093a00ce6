import { defineRule } from "../rule.js";
import { getNode, stringOf } from "../query.js";
import { eachSetting } from "../walk.js";

export const settingDefault = defineRule({
  id: "setting-default",
  description: "a `select` default is one of its options",
  severity: "warning",
  check({ project, report }) {
    for (const setting of eachSetting(project)) {
      if (stringOf(getNode(setting.node, "type")) !== "select") continue;
      const fallback = getNode(setting.node, "default");
      const options = getNode(setting.node, "options");
      if (fallback?.kind !== "scalar" || fallback.value === null || options?.kind !== "seq") continue;
      const values = options.items.map((o) => (o.kind === "map" ? getNode(o, "value") : undefined)).map((v) => (v?.kind === "scalar" ? String(v.value) : undefined));
      if (!values.includes(String(fallback.value))) {
        report(setting.file, fallback, `default ${JSON.stringify(String(fallback.value))} is not one of the options`, { hint: `use one of: ${values.filter(Boolean).join(", ")}` });
      }
    }
  },
});
