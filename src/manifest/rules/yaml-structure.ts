import { defineRule } from "../rule.js";
import type { YamlFile } from "../model.js";

const CODES = new Set(["empty", "multiple-documents", "not-a-mapping"]);

export const yamlStructure = defineRule({
  id: "yaml-structure",
  description: "each YAML file holds exactly one document whose root is a mapping",
  severity: "error",
  check({ project, report }) {
    for (const file of project.files as YamlFile[]) {
      const problem = file.problem;
      if (problem && CODES.has(problem.code)) report(file, problem.code === "empty" ? undefined : problem, problem.message, { hint: problem.hint });
    }
  },
});
