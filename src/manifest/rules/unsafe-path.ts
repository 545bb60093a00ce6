import { defineRule } from "../rule.js";
import type { Reference } from "../model.js";

const WHAT: Record<Reference["kind"], { name: string; example: string }> = {
  group: { name: "endpoint group", example: "group/my_plugin.yaml" },
  endpoint: { name: "endpoint file", example: "endpoints/hello.yaml" },
  source: { name: "source file", example: "endpoints/hello.py" },
  icon: { name: "icon", example: "icon.svg" },
};

export const unsafePath = defineRule({
  id: "unsafe-path",
  description: "paths in manifests are relative, have no `..`, and stay inside the plugin after symlinks (such files are never opened)",
  severity: "error",
  check({ project, report }) {
    for (const ref of project.references) {
      const { name, example } = WHAT[ref.kind];
      if (ref.status === "unsafe") report(ref.from, ref.node, `${name} ${JSON.stringify(ref.target)} is not allowed: ${ref.detail ?? "unsafe"}`, { hint: `write a path relative to the ${ref.kind === "icon" ? "`_assets/` folder" : "plugin folder"}, such as \`${example}\`` });
      if (ref.status === "escapes") report(ref.from, ref.node, `${name} ${JSON.stringify(ref.target)} leads outside the plugin folder through a symbolic link`, { hint: "copy the file into the plugin instead of linking to it" });
    }
  },
});
