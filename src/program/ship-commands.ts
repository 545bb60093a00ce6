/**
 * The commands that ship a plugin: `build` for a platform, `package` for Dify, and the signing
 * tools around a package (`checksum`, `keygen`, `verify`).
 */
import { type Command, Option } from "commander";
import type { Io } from "../terminal/io.js";
import { collect, parseInteger, timeoutOption, type Run } from "./register.js";

/** `build`: a production bundle for Workers, Node, Bun or Deno. */
export function registerBuild(program: Command, io: Io, run: Run): void {
  program
    .command("build")
    .description("bundle a TypeScript plugin's endpoints to run in production on Workers, Node, Bun or Deno")
    .argument("[dir]", "plugin folder (or a group file or folder)", ".")
    .addOption(new Option("-t, --target <target>", "the platform to build for").choices(["workers", "node", "bun", "deno"]).makeOptionMandatory())
    .option("-o, --out <dir>", "output folder (default: <plugin>/dist/<target>)")
    .option("--dify-urls", "also serve /e/<any id>/<path>, the shape of a Dify endpoint URL")
    .option("--env-prefix <prefix>", "prefix of the settings' environment variables (e.g. PLUGIN_)")
    .addOption(timeoutOption(600))
    .option("--no-color", "never colour the output")
    .action((dir: string, options: BuildFlags) =>
      run(import("../commands/build.js").then((m) => m.runBuild(dir, options, io))),
    );
}

/** `package`: the .difypkg, optionally signed. */
export function registerPackage(program: Command, io: Io, run: Run): void {
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
      run(import("../commands/package.js").then((m) => m.runPackage(dir, options, io))),
    );
}

/** `checksum`: the checksum Dify computes. */
export function registerChecksum(program: Command, io: Io, run: Run): void {
  program
    .command("checksum")
    .description("print the checksum Dify computes for a plugin folder or a .difypkg")
    .argument("<path>", "plugin folder or package")
    .action((path: string) => run(import("../commands/checksum.js").then((m) => m.runChecksum(path, io))));
}

/** `keygen`: an RSA key pair for signing. */
export function registerKeygen(program: Command, io: Io, run: Run): void {
  program
    .command("keygen")
    .description("write an RSA-4096 key pair Dify reads: <name>.private.pem and <name>.public.pem")
    .argument("[name]", "file name prefix", "dify_plugin_signing_key")
    .option("--force", "replace an existing key pair")
    .action((name: string, options: { force?: boolean }) => run(import("../commands/keygen.js").then((m) => m.runKeygen(name, options, io))));
}

/** `verify`: a package's signature against public keys. */
export function registerVerify(program: Command, io: Io, run: Run): void {
  program
    .command("verify")
    .description("check a package's signature against public keys, as Dify does")
    .argument("<package>", "the .difypkg to check")
    .option("-k, --public-key <pem>", "RSA public key (PKCS#1 PEM, as `keygen` writes), repeatable; required", collect, [])
    .action((pkg: string, options: { publicKey: string[] }) => run(import("../commands/verify.js").then((m) => m.runVerify(pkg, options, io))));
}

/** `build`'s flags as commander hands them to the action. */
export interface BuildFlags {
  target: "workers" | "node" | "bun" | "deno";
  out?: string;
  difyUrls?: boolean;
  envPrefix?: string;
  timeout: number;
  color: boolean;
}

/** `package`'s flags as commander hands them to the action. */
export interface PackageFlags {
  output?: string;
  maxSize?: number;
  sign?: string;
  category?: "langgenius" | "partner" | "community";
  force?: boolean;
}
