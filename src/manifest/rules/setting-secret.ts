import { looksSecret } from "../patterns.js";
import { defineRule } from "../rule.js";
import { getNode, stringOf } from "../query.js";
import { eachSetting } from "../walk.js";

export const settingSecret = defineRule({
  id: "setting-secret",
  description: "a setting whose name looks secret (key, token, secret, password) is `secret-input`, so Dify encrypts and masks it",
  severity: "warning",
  check({ project, report }) {
    for (const setting of eachSetting(project)) {
      const name = stringOf(getNode(setting.node, "name"));
      const type = getNode(setting.node, "type");
      if (name && looksSecret(name) && stringOf(type) === "text-input" && type) {
        report(setting.file, type, `setting \`${name}\` looks secret but is a text-input: Dify stores and shows it in clear`, { hint: "use `type: secret-input`" });
      }
    }
  },
});
