import { defineRule } from "../rule.js";
import type { YamlFile } from "../model.js";

const CODES = new Set(["alias", "tag", "merge-key", "unsafe-key"]);

export const yamlUnsafe = defineRule({
  id: "yaml-unsafe",
  description: "aliases, merge keys, custom tags and the keys __proto__, constructor and prototype are rejected",
  severity: "error",
  check({ project, report }) {
    for (const file of project.files as YamlFile[]) {
      const problem = file.problem;
      if (problem && CODES.has(problem.code)) report(file, problem, problem.message, { hint: problem.hint });
    }
  },
});
