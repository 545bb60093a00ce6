/**
 * Reading a signing key named on the command line (`package --sign`, `verify --public-key`): the
 * same errors for both, so an unreadable file and a file that is not a key Dify reads are told apart.
 */
import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { EnvironmentError, InputError } from "../errors.js";
import { KeyFormatError, parsePrivateKey, parsePublicKey } from "./signature.js";

const KINDS = {
  private: { parse: parsePrivateKey, hint: "make a key pair Dify reads with `endpoint-kit keygen`" },
  public: { parse: parsePublicKey, hint: "use the .public.pem that `endpoint-kit keygen` wrote" },
} as const;

/** The key at `keyPath` (relative to `cwd`); an `EnvironmentError` when unreadable, an `InputError` when not such a key. */
export async function readKeyFile(keyPath: string, kind: "private" | "public", cwd: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(resolve(cwd, keyPath), "utf8");
  } catch (error) {
    throw new EnvironmentError(`${keyPath}: cannot read the ${kind} key (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return KINDS[kind].parse(pem);
  } catch (error) {
    if (error instanceof KeyFormatError) throw new InputError(`${keyPath}: ${error.message}`, KINDS[kind].hint);
    throw error;
  }
}
