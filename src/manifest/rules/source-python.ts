import { defineRule } from "../rule.js";
import { findPythonEndpointClasses } from "../source-scan.js";

export const sourcePython = defineRule({
  id: "source-python",
  description: "a Python source declares exactly one subclass of `Endpoint` (checked statically, never run)",
  severity: "error",
  check({ project, report }) {
    for (const source of project.sources) {
      if (source.language !== "python" || !source.path.endsWith(".py")) continue; // endpoint-source reports other extensions
      const classes = findPythonEndpointClasses(source.text);
      if (classes.length === 0) {
        report(source, { line: 1, column: 1 }, "no subclass of `Endpoint` is declared: Dify cannot load this endpoint", {
          hint: "declare one: `class Hello(Endpoint):` with `from dify_plugin import Endpoint` and a `_invoke(self, r, values, settings)` method",
        });
      } else if (classes.length > 1) {
        for (const extra of classes.slice(1)) {
          report(source, { start: extra.offset, end: extra.offset + extra.name.length }, `a second subclass of \`Endpoint\` (\`${extra.name}\`, after \`${classes[0]!.name}\`): Dify needs exactly one per file`, { hint: "move it into a file of its own" });
        }
      }
    }
  },
});
