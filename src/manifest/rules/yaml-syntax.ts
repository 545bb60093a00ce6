import { defineRule } from "../rule.js";
import type { YamlFile } from "../model.js";

export const yamlSyntax = defineRule({
  id: "yaml-syntax",
  description: "every YAML file parses: no syntax error, tab indentation, duplicate key or nesting deeper than 64",
  severity: "error",
  check({ project, report }) {
    for (const file of project.files) {
      const problem = (file as YamlFile).problem;
      if (problem && (problem.code === "syntax" || problem.code === "too-deep")) report(file, problem, problem.message, { hint: problem.hint });
    }
  },
});
