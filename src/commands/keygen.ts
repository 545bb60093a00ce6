/**
 * `endpoint-kit keygen [name]`: an RSA-4096 key pair in the form Dify reads (PKCS#1 PEM):
 * `<name>.private.pem` for `package --sign`, `<name>.public.pem` for the Dify that installs.
 */
import { writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { EnvironmentError, EXIT, InputError } from "../errors.js";
import { generateSigningKeys } from "../package/signature.js";
import type { Io } from "../terminal/io.js";

export const DEFAULT_KEY_NAME = "dify_plugin_signing_key";

export async function runKeygen(name: string | undefined, flags: { force?: boolean }, io: Io): Promise<number> {
  const base = resolve(io.cwd, name ?? DEFAULT_KEY_NAME);
  const privatePath = `${base}.private.pem`;
  const publicPath = `${base}.public.pem`;
  const keys = generateSigningKeys();
  // `wx` refuses to replace a key by accident: a lost private key cannot sign the next version.
  const flag = flags.force ? "w" : "wx";
  await write(privatePath, keys.privatePem, 0o600, flag, io);
  await write(publicPath, keys.publicPem, 0o644, flag, io);
  const shown = (p: string) => relative(io.cwd, p) || p;
  io.stdout.write(`${shown(privatePath)}  private key: keep it secret, sign with \`endpoint-kit package --sign ${shown(privatePath)}\`\n`);
  io.stdout.write(`${shown(publicPath)}  public key: give it to the Dify that installs your packages (THIRD_PARTY_SIGNATURE_VERIFICATION_PUBLIC_KEYS)\n`);
  return EXIT.ok;
}

async function write(path: string, text: string, mode: number, flag: string, io: Io): Promise<void> {
  try {
    await writeFile(path, text, { mode, flag });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new InputError(`${relative(io.cwd, path) || path} already exists`, "choose another name, or pass --force to replace the key pair");
    throw new EnvironmentError(`${path}: cannot write the key (${code ?? String(error)})`);
  }
}
