/**
 * `endpoint-kit verify <pkg> --public-key <pem>`: checks a package's signature as Dify's daemon does
 * with third-party keys. Exit 0 when one key verifies it, 1 when none does or it is unsigned.
 */
import { resolve } from "node:path";
import type { KeyObject } from "node:crypto";
import { EXIT, UsageError } from "../errors.js";
import { pluginChecksum, sha256 } from "../package/checksum.js";
import { formatIdentity, identityOfText } from "../package/identity.js";
import { readKeyFile } from "../package/key-file.js";
import { entryKey, readPackageFile } from "../package/read-package.js";
import { verifyArchive } from "../package/signature.js";
import type { Io } from "../terminal/io.js";

export async function runVerify(pkg: string, flags: { publicKey: string[] }, io: Io): Promise<number> {
  if (flags.publicKey.length === 0) throw new UsageError("verify needs --public-key <pem>", "the key Dify checks with: the .public.pem that `endpoint-kit keygen` wrote beside your private key");
  const keys: KeyObject[] = [];
  for (const keyPath of flags.publicKey) keys.push(await readKeyFile(keyPath, "public", io.cwd));
  const archive = await readPackageFile(resolve(io.cwd, pkg), pkg);
  const outcome = verifyArchive(archive.entries, archive.comment, keys);
  const manifest = archive.entries.find((e) => e.name === "manifest.yaml");
  const identity = manifest ? identityOfText(manifest.data.toString("utf8")) : undefined;
  const checksum = pluginChecksum(archive.entries.map((e) => ({ path: entryKey(e.name), sha256: sha256(e.data) })));
  const name = identity ? formatIdentity(identity, checksum) : checksum;
  if (!outcome.ok) {
    io.stderr.write(`error: ${pkg}: ${outcome.reason}\n`);
    io.stderr.write("hint: Dify with FORCE_VERIFYING_SIGNATURE=true refuses it: \"plugin verification has been enabled, and the plugin you want to install has a bad signature\"\n");
    return EXIT.invalid;
  }
  io.stdout.write(`verified ${name}\n`);
  io.stdout.write(`  signed ${new Date(outcome.time * 1000).toISOString()} for the ${outcome.category} category, key ${flags.publicKey[outcome.keyIndex]}\n`);
  return EXIT.ok;
}

