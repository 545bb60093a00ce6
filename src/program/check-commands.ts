/**
 * The commands that check a plugin without running it: `validate` (and its `--fix`) and `schema`.
 */
import { Argument, type Command, Option } from "commander";
import type { Io } from "../terminal/io.js";
import { parseInteger, type Run } from "./register.js";

/** `validate`: the rules Dify applies, in text, json, github or sarif, and the fixes they offer. */
export function registerValidate(program: Command, io: Io, run: Run): void {
  program
    .command("validate")
    .description("check plugin manifests, groups, endpoints and sources against the rules Dify applies")
    .argument("[paths...]", "plugin folders, group files, or folders holding a group", ["."])
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json", "github", "sarif"]).default("text"))
    .addOption(new Option("-t, --target <target>", "also apply what a plugin needs to run on this platform").choices(["dify"]))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", parseInteger("--max-warnings", 0, 1_000_000))
    .option("--list-rules", "print every rule id with its description and exit")
    .option("--no-color", "never colour the output")
    .option("--fix", "fix what can be fixed safely (each fix listed with its rule), then report what is left")
    .option("--fix-dry-run", "print the fixes --fix would make as a unified diff; write nothing")
    .action((paths: string[], options: ValidateFlags) =>
      run(import("../commands/validate.js").then((m) => m.runValidate(paths, options, io))),
    );
}

/** `schema`: the JSON Schema of a manifest, group or endpoint file. */
export function registerSchema(program: Command, io: Io, run: Run): void {
  program
    .command("schema")
    .description("print the JSON Schema of a plugin document, for editors and other tools")
    .addArgument(new Argument("<document>", "which document").choices(["manifest", "group", "endpoint"]))
    .action((document: "manifest" | "group" | "endpoint") =>
      run(import("../commands/schema.js").then((m) => m.runSchema(document, io))),
    );
}

/** `validate`'s flags as commander hands them to the action. */
export interface ValidateFlags {
  format: "text" | "json" | "github" | "sarif";
  target?: "dify";
  output?: string;
  maxWarnings?: number;
  listRules?: boolean;
  color: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
}
