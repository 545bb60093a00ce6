/**
 * The commands that run a plugin's handlers locally: `dev`, `test`, `invoke` and `send`.
 */
import { type Command, Option } from "commander";
import type { SendFlags } from "../commands/send.js";
import type { Io } from "../terminal/io.js";
import { collect, parseInteger, pythonOption, settingsOption, timeoutOption, type Run } from "./register.js";

/** `dev`: the local server, its reloads and its request inspector. */
export function registerDev(program: Command, io: Io, run: Run): void {
  program
    .command("dev")
    .description("serve the plugin's endpoints locally as Dify would, reloading on every edit")
    .argument("[dir]", "plugin folder (or a group file or folder)", ".")
    .option("-p, --port <port>", "port to listen on (default 5002, or the next free one)", parseInteger("--port", 0, 65535))
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--hook-id <id>", "the hook id in /e/<hook_id>/... (default: stable per plugin)")
    .addOption(settingsOption())
    .addOption(timeoutOption(600))
    .option("--allow-host <name>", "accept this Host header too (for tunnels): a name, or name:port; repeatable", collect, [])
    .option("--allow-origin <origin>", "accept browser requests from this origin (https://app.example.com, or *); repeatable", collect, [])
    .addOption(pythonOption())
    .option("--verbose", "log request and response headers and bodies (secrets masked)")
    .option("--no-inspect", "no request inspector: capture nothing and serve no /_endpoint-kit/ page")
    .option("--inspect-max-requests <n>", "requests the inspector keeps (pinned ones are never dropped)", parseInteger("--inspect-max-requests", 1, 1_000_000), 1000)
    .option("--inspect-max-mb <n>", "body megabytes the inspector keeps in memory", parseInteger("--inspect-max-mb", 1, 65_536), 64)
    .option("--no-color", "never colour the output")
    .action((dir: string, options: DevFlags) =>
      run(import("../commands/dev.js").then((m) => m.runDev(dir, options, io))),
    );
}

/** `test`: the request fixtures against the real handlers. */
export function registerTest(program: Command, io: Io, run: Run): void {
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
    .addOption(settingsOption("YAML settings under each fixture's own (default: settings.local.yaml if present)"))
    .addOption(pythonOption())
    .addOption(timeoutOption(30))
    .option("-j, --jobs <n>", "fixtures run at once (1 when they share state)", parseInteger("--jobs", 1, 256), 8)
    .option("--no-color", "never colour the output")
    .action((dir: string, options: TestFlags) =>
      run(import("../commands/test.js").then((m) => m.runTest(dir, options, io))),
    );
}

/** `invoke`: one request, no server. */
export function registerInvoke(program: Command, io: Io, run: Run): void {
  program
    .command("invoke")
    .description("send one request to an endpoint without a server, as curl against dev would (body to stdout)")
    .argument("<method>", "HTTP method: GET, POST, ...")
    .argument("<path>", "request path (/hello?x=1 or /e/<hook_id>/hello)")
    .option("--dir <plugin>", "plugin folder", ".")
    .option("-d, --data <data>", "request body; @file sends a file's bytes, @- standard input (repeatable, joined with &)", collect, [])
    .option("-H, --header <header>", "request header 'Name: value', repeatable", collect, [])
    .addOption(settingsOption())
    .option("-i, --include", "print the status line and headers before the body")
    .option("--fail", "exit 1 when the status is 400 or more")
    .addOption(timeoutOption(600))
    .option("--hook-id <id>", "the hook id in /e/<hook_id>/... (default: the one dev uses)")
    .addOption(pythonOption())
    .option("--save <file>", "also write the request and its answer as a fixture file for `endpoint-kit test`")
    .action((method: string, path: string, options: InvokeFlags) =>
      run(import("../commands/invoke.js").then((m) => m.runInvoke(method, path, options, io))),
    );
}

/** `send`: a provider's webhook, signed as the provider signs it. */
export function registerSend(program: Command, io: Io, run: Run): void {
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
    .addOption(settingsOption())
    .addOption(pythonOption())
    .addOption(timeoutOption(600))
    .option("-i, --include", "print the response status line and headers before the body")
    .option("--dry-run", "print the signed request instead of sending it")
    .option("--tamper", "change one body byte after signing: the plugin should reject the request")
    .option("--stale", "date the request just past the provider's timestamp window: the plugin should reject it")
    .option("--list", "list providers, their events and the settings each needs")
    .action((event: string | undefined, path: string | undefined, options: SendFlags) =>
      run(import("../commands/send.js").then((m) => m.runSend(event, path, options, io))),
    );
}

/** `dev`'s flags as commander hands them to the action. */
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

/** `test`'s flags as commander hands them to the action. */
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

/** `invoke`'s flags as commander hands them to the action. */
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
