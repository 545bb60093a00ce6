import { defineRule } from "../rule.js";

export const unsafePath = defineRule({
  id: "unsafe-path",
  description: "paths in manifests are relative, have no `..`, and stay inside the plugin after symlinks (such files are never opened)",
  severity: "error",
  check({ project, report }) {
    for (const ref of project.references) {
      if (ref.status === "unsafe") report(ref.from, ref.node, `${ref.kind} path ${JSON.stringify(ref.target)} is not allowed: ${ref.detail ?? "unsafe"}`, { hint: "write a path relative to the plugin folder, such as `endpoints/hello.py`" });
      if (ref.status === "escapes") report(ref.from, ref.node, `${ref.kind} path ${JSON.stringify(ref.target)} leads outside the plugin folder through a symbolic link`, { hint: "copy the file into the plugin instead of linking to it" });
    }
  },
});
