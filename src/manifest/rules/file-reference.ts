import { defineRule } from "../rule.js";
import type { Reference, ReferenceStatus, YamlFile } from "../model.js";
import { sourceStub } from "../source-stub.js";

const WHAT: Record<Reference["kind"], string> = { group: "endpoint group", endpoint: "endpoint file", source: "source file", icon: "icon" };

function explain(what: string, status: ReferenceStatus, detail: string | undefined, isIcon: boolean): { message: string; hint?: string } | undefined {
  switch (status) {
    case "missing":
      return { message: `${what} does not exist`, hint: isIcon ? "icons live in the plugin's `_assets/` folder" : "paths are relative to the plugin folder" };
    case "not-a-file":
      return { message: `${what} is a folder, not a file` };
    case "not-regular":
      return { message: `${what} is not a regular file` };
    case "too-large":
      return { message: `${what} is larger than 1 MiB` + (detail ? ` (${detail} bytes)` : "") };
    case "unreadable":
      return { message: `${what} cannot be read (${detail ?? "error"})`, hint: "check the file's permissions" };
    case "invalid-utf8":
      return { message: `${what} is not valid UTF-8 (at byte ${detail ?? "?"})`, hint: "save the file as UTF-8" };
    default:
      return undefined;
  }
}

export const fileReference = defineRule({
  id: "file-reference",
  description: "files named by the manifest, groups and endpoints exist and are readable UTF-8 files under 1 MiB",
  severity: "error",
  check({ project, report }) {
    for (const ref of project.references) {
      const problem = explain(`${WHAT[ref.kind]} ${JSON.stringify(ref.target)}`, ref.status, ref.detail, ref.kind === "icon");
      // A missing source gets a stub of its language (the path already passed the safety checks).
      const stub = ref.kind === "source" && ref.status === "missing" ? sourceStub(ref.target) : undefined;
      const fix = stub !== undefined ? { title: `create \`${ref.target}\` (a stub to fill in)`, create: { relative: ref.target, text: stub } } : undefined;
      if (problem) report(ref.from, ref.node, problem.message, { hint: problem.hint, fix });
    }
    // The manifest (or a group given on the command line) is named by no file: report it without a position.
    for (const file of project.files as YamlFile[]) {
      const problem =
        file.unreadable?.status === "escapes"
          ? { message: "the file leads outside the plugin folder through a symbolic link: it was not opened", hint: "copy the file into the plugin instead of linking to it" }
          : file.unreadable && explain("the file", file.unreadable.status, file.unreadable.detail, false);
      if (problem) report(file, undefined, problem.message, { hint: problem.hint });
    }
  },
});
