/**
 * The cryptography the providers use, on `node:crypto` alone: HMACs and hashes, Ed25519 from a raw
 * 32-byte seed (Discord), the AES-256-CBC envelope WeChat and WeCom share (32-byte PKCS#7 padding,
 * the IV taken from the key), and Lark's (key = SHA-256 of the encrypt key, IV prepended).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify } from "node:crypto";

export function hmac(algorithm: "sha256" | "sha1", key: string | Uint8Array, data: Uint8Array | string, encoding: "hex" | "base64"): string {
  return createHmac(algorithm, key).update(data).digest(encoding);
}

export function hash(algorithm: "sha256" | "sha1", data: Uint8Array | string, encoding: "hex"): string {
  return createHash(algorithm).update(data).digest(encoding);
}

/** Constant-time string comparison (lengths compared first, as `timingSafeEqual` requires). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function concatBytes(...parts: (Uint8Array | string)[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
}

const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

function seedKey(seedHex: string) {
  if (!/^[0-9a-fA-F]{64}$/.test(seedHex)) throw new Error("an Ed25519 private key is 64 hex digits (the 32-byte seed)");
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, Buffer.from(seedHex, "hex")]), format: "der", type: "pkcs8" });
}

/** Hex Ed25519 signature of `data` with the key whose 32-byte seed is `seedHex`. */
export function ed25519Sign(seedHex: string, data: Uint8Array): string {
  return sign(null, data, seedKey(seedHex)).toString("hex");
}

/** The hex public key of a seed, as Discord shows it in the developer portal. */
export function ed25519PublicKey(seedHex: string): string {
  const der = createPublicKey(seedKey(seedHex)).export({ format: "der", type: "spki" });
  return der.subarray(SPKI_ED25519.length).toString("hex");
}

export function ed25519Verify(publicHex: string, data: Uint8Array, signatureHex: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(publicHex) || !/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, Buffer.from(publicHex, "hex")]), format: "der", type: "spki" });
  return verify(null, data, key, Buffer.from(signatureHex, "hex"));
}

/** WeChat/WeCom: the 43-character EncodingAESKey is base64 of the 32-byte AES key, without its `=`. */
function wxKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (encodingAesKey.length !== 43 || key.length !== 32) throw new Error("an EncodingAESKey is 43 characters of base64 (32 bytes)");
  return key;
}

/** `msg_signature` (or, without `encrypt`, the plain `signature`): SHA-1 of the sorted, joined strings. */
export function wxSignature(token: string, timestamp: string, nonce: string, encrypt?: string): string {
  const parts = encrypt === undefined ? [token, timestamp, nonce] : [token, timestamp, nonce, encrypt];
  return hash("sha1", parts.sort().join(""), "hex");
}

/** random(16) ‖ uint32_be(len) ‖ msg ‖ receiveId, padded to 32 bytes, AES-256-CBC, base64. */
export function wxEncrypt(encodingAesKey: string, random16: Uint8Array, message: string, receiveId: string): string {
  const key = wxKey(encodingAesKey);
  const msg = Buffer.from(message, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const plain = Buffer.concat([Buffer.from(random16), length, msg, Buffer.from(receiveId, "utf8")]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

/** The inverse of `wxEncrypt`; throws on bad padding or length. */
export function wxDecrypt(encodingAesKey: string, encrypted: string): { message: string; receiveId: string } {
  const key = wxKey(encodingAesKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 32 || plain.length < 20 + pad) throw new Error("bad padding");
  const content = plain.subarray(16, plain.length - pad);
  const length = content.readUInt32BE(0);
  if (length > content.length - 4) throw new Error("bad length");
  return { message: content.subarray(4, 4 + length).toString("utf8"), receiveId: content.subarray(4 + length).toString("utf8") };
}

/** Lark: AES-256-CBC with key SHA-256(encryptKey), the IV prepended, PKCS#7, base64. */
export function larkEncrypt(encryptKey: string, iv: Uint8Array, message: string): string {
  const key = createHash("sha256").update(encryptKey).digest();
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([Buffer.from(iv), cipher.update(message, "utf8"), cipher.final()]).toString("base64");
}

export function larkDecrypt(encryptKey: string, encrypted: string): string {
  const key = createHash("sha256").update(encryptKey).digest();
  const data = Buffer.from(encrypted, "base64");
  const decipher = createDecipheriv("aes-256-cbc", key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString("utf8");
}
