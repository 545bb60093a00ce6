/**
 * Package signatures as Dify makes and checks them: `.verification.dify.json` appended as the last
 * entry, then RSA PKCS#1 v1.5 over SHA-256 of `sha256(entry) ‖ ... in archive order ‖ ascii(unix
 * time)`, kept as `{"signature":"<base64>","time":<unix>}` in the zip comment. Keys are PKCS#1 PEM
 * (`RSA PRIVATE KEY` / `RSA PUBLIC KEY`), the only form the daemon loads.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { sha256 } from "./checksum.js";
import type { ZipEntry } from "./zip-read.js";
import type { ZipInput } from "./zip-write.js";

/** The entry Dify reads the authorized category from. */
export const VERIFICATION_FILE = ".verification.dify.json";
export const CATEGORIES = ["langgenius", "partner", "community"] as const;
export type Category = (typeof CATEGORIES)[number];

/** A key file Dify would not load; the message says why. */
export class KeyFormatError extends Error {}

/** Loads a private key exactly as the daemon's `LoadPrivateKey` accepts it. */
export function parsePrivateKey(pem: string): KeyObject {
  return parseKey(pem, "RSA PRIVATE KEY", (der) => createPrivateKey({ key: der, format: "der", type: "pkcs1" }));
}

/** Loads a public key exactly as the daemon's `LoadPublicKey` accepts it. */
export function parsePublicKey(pem: string): KeyObject {
  return parseKey(pem, "RSA PUBLIC KEY", (der) => createPublicKey({ key: der, format: "der", type: "pkcs1" }));
}

function parseKey(pem: string, type: string, load: (der: Buffer) => KeyObject): KeyObject {
  const block = /^\s*-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\s]*?)-----END \1-----[ \t]*(?:\r?\n)?([\s\S]*)$/.exec(pem);
  if (!block) throw new KeyFormatError("not a PEM key");
  if (block[1] !== type) throw new KeyFormatError(`the PEM block is "${block[1]}", but Dify reads only "${type}" (PKCS#1)`);
  // Go's pem.Decode leaves anything after the first block, and the daemon refuses it.
  if (block[3] !== "") throw new KeyFormatError("extra data after the PEM block (Dify refuses it)");
  try {
    const key = load(Buffer.from(block[2]!.replace(/\s+/g, ""), "base64"));
    if (key.asymmetricKeyType !== "rsa") throw new KeyFormatError("not an RSA key");
    return key;
  } catch (error) {
    if (error instanceof KeyFormatError) throw error;
    throw new KeyFormatError(`the key cannot be read (${(error as Error).message})`);
  }
}

/** A new RSA-4096 key pair as PKCS#1 PEM, the form `dify signature generate` writes. */
export function generateSigningKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 4096 });
  return {
    privatePem: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    publicPem: publicKey.export({ format: "pem", type: "pkcs1" }).toString(),
  };
}

/** The bytes Dify signs: each entry's SHA-256 in archive order, then the time in decimal. */
export function signedData(entries: ReadonlyArray<{ data: Uint8Array }>, time: number): Buffer {
  return Buffer.concat([...entries.map((e) => sha256(e.data)), Buffer.from(String(time), "ascii")]);
}

/** Appends the verification entry and signs: the entries and the zip comment to write. */
export function signEntries(files: readonly ZipInput[], key: KeyObject, category: Category, time: number): { files: ZipInput[]; comment: string } {
  // Go's json.Marshal of the Verification struct: no spaces, no newline.
  const verification = { path: VERIFICATION_FILE, data: Buffer.from(JSON.stringify({ authorized_category: category }), "utf8") };
  const all = [...files.filter((f) => f.path !== VERIFICATION_FILE), verification];
  const signature = sign("sha256", signedData(all, time), key).toString("base64");
  return { files: all, comment: JSON.stringify({ signature, time }) };
}

export type VerifyOutcome =
  | { ok: true; time: number; category: Category | "langgenius (no verification file)"; keyIndex: number }
  | { ok: false; reason: string };

/** Checks a package's signature against public keys, as the daemon's `VerifyPluginWithPublicKeys` does. */
export function verifyArchive(entries: readonly ZipEntry[], comment: string, keys: readonly KeyObject[]): VerifyOutcome {
  const file = entries.find((e) => e.name === VERIFICATION_FILE);
  return verifyDigests(entries.map((e) => sha256(e.data)), comment, file?.data.toString("utf8"), keys);
}

/**
 * The same check over each entry's SHA-256 (in archive order): the signature never covers more, so
 * a package can be checked from its digests alone. `verificationText` is the verification entry's text.
 */
export function verifyDigests(digests: readonly Uint8Array[], comment: string, verificationText: string | undefined, keys: readonly KeyObject[]): VerifyOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(comment);
  } catch {
    return { ok: false, reason: comment === "" ? "the package is not signed (its zip comment is empty)" : "the zip comment is not a signature" };
  }
  const { signature, time } = (parsed ?? {}) as { signature?: unknown; time?: unknown };
  if (typeof signature !== "string" || typeof time !== "number" || !Number.isSafeInteger(time)) return { ok: false, reason: "the zip comment is not a signature" };
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(signature)) return { ok: false, reason: "the signature is not valid base64" };
  const data = Buffer.concat([...digests, Buffer.from(String(time), "ascii")]);
  const bytes = Buffer.from(signature, "base64");
  const keyIndex = keys.findIndex((key) => verify("sha256", data, key, bytes));
  if (keyIndex < 0) return { ok: false, reason: keys.length === 1 ? "the signature does not match this public key (the package was changed, or signed with another key)" : "the signature matches none of the public keys" };
  if (verificationText === undefined) return { ok: true, time, category: "langgenius (no verification file)", keyIndex };
  let category: unknown;
  try {
    category = (JSON.parse(verificationText) as { authorized_category?: unknown }).authorized_category;
  } catch {
    return { ok: false, reason: `${VERIFICATION_FILE} is not valid JSON` };
  }
  if (!CATEGORIES.includes(category as Category)) return { ok: false, reason: `${VERIFICATION_FILE} names an unknown category ${JSON.stringify(category)}` };
  return { ok: true, time, category: category as Category, keyIndex };
}
