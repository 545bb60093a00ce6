/**
 * The command-line surface: commands, flags and help, wired with commander. Each action imports its
 * command module only when it runs, so `--help` stays fast and loads none of the heavy libraries.
 */
import type { CommanderError} from "commander";
import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { UsageError } from "./errors.js";
import { packageVersion } from "./package-root.js";
import type { Io } from "./terminal/io.js";
import type { SendFlags } from "./commands/send.js";

/** What an action hands back: the exit code to use. */
export type CommandResult = Promise<number>;

function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Builds the program; `setResult` receives the exit code of the action that ran. */
export function createProgram(io: Io, setResult: (code: number) => void): Command {
  const program = new Command("endpoint-kit");
  const run = (result: CommandResult) => result.then(setResult);
  program
    .description("Scaffold, validate and serve Dify endpoint plugins locally")
    .version(packageVersion(), "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

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
      run(import("./commands/validate.js").then((m) => m.runValidate(paths, options, io))),
    );

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
      run(import("./commands/init.js").then((m) => m.runInit(dir, options, io))),
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
      run(import("./commands/init.js").then((m) => m.runInitEndpoint(name, options, io))),
    );

  program
    .command("dev")
    .description("serve the plugin's endpoints locally as Dify would, reloading on every edit")
    .argument("[dir]", "plugin folder (or a group file or folder)", ".")
    .option("-p, --port <port>", "port to listen on (default 5002, or the next free one)", parseInteger("--port", 0, 65535))
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--hook-id <id>", "the hook id in /e/<hook_id>/... (default: stable per plugin)")
    .option("-s, --settings <file>", "YAML file with the endpoint settings (default: settings.local.yaml if present)")
    .option("--timeout <seconds>", "handler deadline in seconds", parseInteger("--timeout", 1, 86_400), 600)
    .option("--allow-host <name>", "accept this Host header too (for tunnels): a name, or name:port; repeatable", collect, [])
    .option("--allow-origin <origin>", "accept browser requests from this origin (https://app.example.com, or *); repeatable", collect, [])
    .option("--python <path>", "Python interpreter for Python endpoints (default: .venv, then python3)")
    .option("--verbose", "log request and response headers and bodies (secrets masked)")
    .option("--no-inspect", "no request inspector: capture nothing and serve no /_endpoint-kit/ page")
    .option("--inspect-max-requests <n>", "requests the inspector keeps (pinned ones are never dropped)", parseInteger("--inspect-max-requests", 1, 1_000_000), 1000)
    .option("--inspect-max-mb <n>", "body megabytes the inspector keeps in memory", parseInteger("--inspect-max-mb", 1, 65_536), 64)
    .option("--no-color", "never colour the output")
    .action((dir: string, options: DevFlags) =>
      run(import("./commands/dev.js").then((m) => m.runDev(dir, options, io))),
    );

  program
    .command("test")
    .description("run the request fixtures in fixtures/ against the plugin's real handlers and check their answers")
    .argument("[dir]", "plugin folder", ".")
    .option("--fixtures <dir>", "folder of fixture files (default: fixtures/ in the plugin)")
    .option("-g, --grep <text>", "run only the fixtures whose name or file contains this text")
    .option("-u, --update", "rewrite the expect of failing fixtures from the actual answers")
    .addOption(new Option("-f, --format <format>", "report format").choices(["text", "json", "junit", "tap"]).default("text"))
    .option("-o, --output <file>", "write the report to a file (the text report still goes to stdout)")
    .option("-w, --watch", "rerun the affected fixtures on every save")
    .option("-s, --settings <file>", "YAML settings under each fixture's own (default: settings.local.yaml if present)")
    .option("--python <path>", "Python interpreter for Python endpoints (default: .venv, then python3)")
    .option("--timeout <seconds>", "handler deadline in seconds", parseInteger("--timeout", 1, 86_400), 30)
    .option("-j, --jobs <n>", "fixtures run at once (1 when they share state)", parseInteger("--jobs", 1, 256), 8)
    .option("--no-color", "never colour the output")
    .action((dir: string, options: TestFlags) =>
      run(import("./commands/test.js").then((m) => m.runTest(dir, options, io))),
    );

  program
    .command("invoke")
    .description("send one request to an endpoint without a server, as curl against dev would (body to stdout)")
    .argument("<method>", "HTTP method: GET, POST, ...")
    .argument("<path>", "request path (/hello?x=1 or /e/<hook_id>/hello)")
    .option("--dir <plugin>", "plugin folder", ".")
    .option("-d, --data <data>", "request body; @file sends a file's bytes, @- standard input (repeatable, joined with &)", collect, [])
    .option("-H, --header <header>", "request header 'Name: value', repeatable", collect, [])
    .option("-s, --settings <file>", "YAML file with the endpoint settings (default: settings.local.yaml if present)")
    .option("-i, --include", "print the status line and headers before the body")
    .option("--fail", "exit 1 when the status is 400 or more")
    .option("--timeout <seconds>", "handler deadline in seconds", parseInteger("--timeout", 1, 86_400), 600)
    .option("--hook-id <id>", "the hook id in /e/<hook_id>/... (default: the one dev uses)")
    .option("--python <path>", "Python interpreter for Python endpoints (default: .venv, then python3)")
    .option("--save <file>", "also write the request and its answer as a fixture file for `endpoint-kit test`")
    .action((method: string, path: string, options: InvokeFlags) =>
      run(import("./commands/invoke.js").then((m) => m.runInvoke(method, path, options, io))),
    );

  program
    .command("build")
    .description("bundle a TypeScript plugin's endpoints to run in production on Workers, Node, Bun or Deno")
    .argument("[dir]", "plugin folder (or a group file or folder)", ".")
    .addOption(new Option("-t, --target <target>", "the platform to build for").choices(["workers", "node", "bun", "deno"]).makeOptionMandatory())
    .option("-o, --out <dir>", "output folder (default: <plugin>/dist/<target>)")
    .option("--dify-urls", "also serve /e/<any id>/<path>, the shape of a Dify endpoint URL")
    .option("--env-prefix <prefix>", "prefix of the settings' environment variables (e.g. PLUGIN_)")
    .option("--timeout <seconds>", "handler deadline in seconds", parseInteger("--timeout", 1, 86_400), 600)
    .option("--no-color", "never colour the output")
    .action((dir: string, options: BuildFlags) =>
      run(import("./commands/build.js").then((m) => m.runBuild(dir, options, io))),
    );

  program
    .command("send")
    .description("send a provider's webhook or handshake (Slack, GitHub, Stripe, WeCom...), signed or encrypted as the provider does")
    .argument("[event]", "provider.event, e.g. slack.app_mention (see --list)")
    .argument("[path]", "endpoint path, e.g. /slack/events")
    .option("-d, --dir <plugin>", "plugin folder (its settings hold the keys)", ".")
    .option("--secret <value>", "the key to sign with; key=value for one of several (e.g. encoding_aes_key=...), repeatable", collect, [])
    .option("--secret-setting <name>", "the setting that holds the key; key=name for one of several, repeatable", collect, [])
    .option("--set <path=value>", "change a field of the sample payload (a.b.0.c=value), repeatable", collect, [])
    .option("--body <file>", "send this file as the payload instead of the sample")
    .option("-H, --header <header>", "add or replace a header after signing, \"Name: value\" (e.g. X-Slack-Retry-Num: 1), repeatable", collect, [])
    .option("--url <origin>", "deliver to a running dev (http://127.0.0.1:5002) instead of in-process")
    .option("-s, --settings <file>", "YAML file with the endpoint settings (default: settings.local.yaml if present)")
    .option("--python <path>", "Python interpreter for Python endpoints (default: .venv, then python3)")
    .option("--timeout <seconds>", "handler deadline in seconds", parseInteger("--timeout", 1, 86_400), 600)
    .option("-i, --include", "print the response status line and headers before the body")
    .option("--dry-run", "print the signed request instead of sending it")
    .option("--tamper", "change one body byte after signing: the plugin should reject the request")
    .option("--stale", "date the request just past the provider's timestamp window: the plugin should reject it")
    .option("--list", "list providers, their events and the settings each needs")
    .action((event: string | undefined, path: string | undefined, options: SendFlags) =>
      run(import("./commands/send.js").then((m) => m.runSend(event, path, options, io))),
    );

  program
    .command("schema")
    .description("print the JSON Schema of a plugin document, for editors and other tools")
    .addArgument(new Argument("<document>", "which document").choices(["manifest", "group", "endpoint"]))
    .action((document: "manifest" | "group" | "endpoint") =>
      run(import("./commands/schema.js").then((m) => m.runSchema(document, io))),
    );

  program
    .command("package")
    .description("build the .difypkg Dify installs: validated, nothing secret inside, optionally signed")
    .argument("[dir]", "plugin folder", ".")
    .option("-o, --output <file>", "where to write the package (default: <name>-<version>.difypkg here; a folder puts it there)")
    .option("--max-size <MB>", "largest total uncompressed size, in MB of 1,048,576 bytes", parseInteger("--max-size", 1, 4095), 50)
    .option("--sign <private-key>", "sign with this RSA private key (PKCS#1 PEM, see `keygen`)")
    .addOption(new Option("--category <category>", "authorized category written in the signature (with --sign; default langgenius)").choices(["langgenius", "partner", "community"]))
    .option("--force", "package files that must not ship (.env, settings.local.yaml, .git/, ...) anyway")
    .action((dir: string, options: PackageFlags) =>
      run(import("./commands/package.js").then((m) => m.runPackage(dir, options, io))),
    );

  program
    .command("checksum")
    .description("print the checksum Dify computes for a plugin folder or a .difypkg")
    .argument("<path>", "plugin folder or package")
    .action((path: string) => run(import("./commands/checksum.js").then((m) => m.runChecksum(path, io))));

  program
    .command("keygen")
    .description("write an RSA-4096 key pair Dify reads: <name>.private.pem and <name>.public.pem")
    .argument("[name]", "file name prefix", "dify_plugin_signing_key")
    .option("--force", "replace an existing key pair")
    .action((name: string, options: { force?: boolean }) => run(import("./commands/keygen.js").then((m) => m.runKeygen(name, options, io))));

  program
    .command("verify")
    .description("check a package's signature against public keys, as Dify does")
    .argument("<package>", "the .difypkg to check")
    .option("-k, --public-key <pem>", "RSA public key (PKCS#1 PEM, as `keygen` writes), repeatable; required", collect, [])
    .action((pkg: string, options: { publicKey: string[] }) => run(import("./commands/verify.js").then((m) => m.runVerify(pkg, options, io))));

  return program;
}

export interface TestFlags {
  fixtures?: string;
  grep?: string;
  update?: boolean;
  format: "text" | "json" | "junit" | "tap";
  output?: string;
  watch?: boolean;
  settings?: string;
  python?: string;
  timeout: number;
  jobs: number;
  color: boolean;
}

export interface InvokeFlags {
  dir: string;
  data: string[];
  header: string[];
  settings?: string;
  include?: boolean;
  fail?: boolean;
  timeout: number;
  hookId?: string;
  python?: string;
  save?: string;
}

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

export interface InitEndpointFlags {
  path: string;
  method: string;
  dir: string;
  template?: string;
  force?: boolean;
}

export interface DevFlags {
  port?: number;
  host: string;
  hookId?: string;
  settings?: string;
  timeout: number;
  allowHost: string[];
  allowOrigin?: string[];
  python?: string;
  verbose?: boolean;
  color: boolean;
  /** false with --no-inspect. */
  inspect?: boolean;
  inspectMaxRequests?: number;
  inspectMaxMb?: number;
}

export interface BuildFlags {
  target: "workers" | "node" | "bun" | "deno";
  out?: string;
  difyUrls?: boolean;
  envPrefix?: string;
  timeout: number;
  color: boolean;
}

export interface PackageFlags {
  output?: string;
  maxSize?: number;
  sign?: string;
  category?: "langgenius" | "partner" | "community";
  force?: boolean;
}

/** Turns commander's own errors into exit codes: help and version are 0, everything else a usage error. */
export function commanderExitCode(error: CommanderError): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
  return new UsageError(error.message).exitCode;
}
