/**
 * `init` and `init endpoint`: creating a plugin, and adding an endpoint to one.
 */
import { type Command, Option } from "commander";
import type { Io } from "../terminal/io.js";
import { collect, type Run } from "./register.js";

/** `init [dir]` and its subcommand `init endpoint <name>`. */
export function registerInit(program: Command, io: Io, run: Run): void {
  // `init endpoint x --path r`: init and its subcommand share flag names (--path, --method, ...).
  // Without positional options, commander hands every flag after `init` to init itself, so the
  // subcommand would never see its own --path; with them, flags belong to the command they follow.
  program.enablePositionalOptions();
  const init = program
    .command("init")
    .description("create a plugin (or, with `init endpoint`, add an endpoint to one)")
    .argument("[dir]", "folder to create the plugin in")
    .option("-n, --name <name>", "plugin name (lower case letters, digits, _ and -)")
    .addOption(new Option("-l, --language <language>", "language of the endpoint sources").choices(["python", "typescript"]))
    .option("--author <author>", "plugin author (lower case letters, digits, _ and -)")
    .option("--description <text>", "one-line description of the plugin")
    .option("--endpoint <name>", "name of the first endpoint")
    .option("--path <rule>", "path of the first endpoint (a werkzeug rule such as /hello/<name>)")
    .option("--method <method>", "HTTP method of the first endpoint")
    .option("--setting <spec>", "a setting as name:type[:required], repeatable (e.g. api_key:secret-input:required)", collect, [])
    .option("--no-settings", "declare no settings (the default is one optional api_key secret)")
    .option("--template <dir>", "use your own template folder (same shape as the bundled ones)")
    .option("-y, --yes", "take the defaults for every question not given by a flag")
    .option("--force", "replace files that init generates when they already exist")
    .enablePositionalOptions()
    .action((dir: string | undefined, options: InitFlags) =>
      run(import("../commands/init.js").then((m) => m.runInit(dir, options, io))),
    );
  init
    .command("endpoint")
    .description("add an endpoint (YAML and source) to a plugin and list it in its group")
    .argument("<name>", "endpoint name (becomes endpoints/<name>.yaml)")
    .requiredOption("--path <rule>", "werkzeug rule, e.g. /items/<int:id>")
    .option("--method <method>", "HTTP method", "GET")
    .option("-d, --dir <plugin>", "plugin folder", ".")
    .option("--template <dir>", "use your own template folder")
    .option("--force", "replace the endpoint's files when they already exist")
    .action((name: string, options: InitEndpointFlags) =>
      run(import("../commands/init.js").then((m) => m.runInitEndpoint(name, options, io))),
    );
}

/** `init`'s flags as commander hands them to the action. */
export interface InitFlags {
  name?: string;
  language?: "python" | "typescript";
  author?: string;
  description?: string;
  endpoint?: string;
  path?: string;
  method?: string;
  setting: string[];
  /** False with `--no-settings`. */
  settings?: boolean;
  template?: string;
  yes?: boolean;
  force?: boolean;
}

/** `init endpoint`'s flags as commander hands them to the action. */
export interface InitEndpointFlags {
  path: string;
  method: string;
  dir: string;
  template?: string;
  force?: boolean;
}
