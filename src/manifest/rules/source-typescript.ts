import { defineRule } from "../rule.js";
import { findScriptEndpointClasses } from "../source-scan.js";

export const sourceTypescript = defineRule({
  id: "source-typescript",
  description: "a TypeScript/JavaScript source compiles and exports exactly one class extending `Endpoint`",
  severity: "error",
  check({ project, report }) {
    for (const source of project.sources) {
      if (source.language !== "typescript" || !/\.m?[jt]s$/.test(source.path)) continue; // endpoint-source reports other extensions
      if (source.syntaxErrors.length > 0) {
        for (const error of source.syntaxErrors) report(source, { line: error.line, column: error.column }, `syntax error: ${error.message}`);
        continue;
      }
      const { exported, unexported } = findScriptEndpointClasses(source.text);
      if (exported.length === 0) {
        const site = unexported[0];
        report(source, site ? { start: site.offset, end: site.offset + 5 } : { line: 1, column: 1 },
          site ? `class \`${site.name}\` extends \`Endpoint\` but is not exported` : "no exported class extends `Endpoint`",
          { hint: 'export one: `export default class Hello extends Endpoint { ... }` with `import { Endpoint } from "endpoint-kit"`' });
      }
      for (const extra of exported.slice(1)) {
        report(source, { start: extra.offset, end: extra.offset + 5 }, `a second exported class extends \`Endpoint\` (\`${extra.name}\`): export exactly one per file`, { hint: "move it into a file of its own" });
      }
    }
  },
});
