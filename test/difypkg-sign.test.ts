import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pluginChecksum } from "../src/package/checksum.js";
import { parsePublicKey, verifyDigests } from "../src/package/signature.js";
import { entryRuleViolations, readZipWithPython } from "./helpers/python-zip.js";
import { REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";
import { createTempPlugin } from "./helpers/temp-plugin.js";

interface KnownPackage {
  identity: string;
  checksum: string;
  entries: Array<[string, string]>;
  comment: string;
  publicKey: string;
}

test("a package with a known identity: Dify's official langgenius/agent 0.0.14", async () => {
  const known = JSON.parse(await readFile(join(REPO_ROOT, "test/fixtures/difypkg/langgenius-agent-0.0.14.json"), "utf8")) as KnownPackage;
  const digests = known.entries.map(([, hex]) => Buffer.from(hex, "hex"));
  assert.equal(pluginChecksum(known.entries.map(([path], i) => ({ path, sha256: digests[i]! }))), known.checksum);
  // Dify's official signature covers the same digests in archive order: it verifies with Dify's public key...
  const key = parsePublicKey(known.publicKey);
  const outcome = verifyDigests(digests, known.comment, undefined, [key]);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.ok && outcome.time, 1744632035);
  // ...and not once one digest changes by one bit, or the order changes.
  const flipped = digests.map((d, i) => (i === 3 ? Buffer.from(d.map((b, j) => (j === 0 ? b ^ 1 : b))) : d));
  assert.equal(verifyDigests(flipped, known.comment, undefined, [key]).ok, false);
  assert.equal(verifyDigests([...digests].reverse(), known.comment, undefined, [key]).ok, false);
  // The checksum ignores archive order; the path is part of it.
  assert.equal(pluginChecksum([...known.entries].reverse().map(([path, hex]) => ({ path, sha256: Buffer.from(hex, "hex") }))), known.checksum);
  assert.notEqual(pluginChecksum(known.entries.map(([path, hex], i) => ({ path: i === 0 ? `x${path}` : path, sha256: Buffer.from(hex, "hex") }))), known.checksum);
});

test("keygen, package --sign, verify: Dify's key format and signature, checked independently; one changed byte fails", async () => {
  const plugin = await createTempPlugin();
  try {
    const cwd = plugin.base;
    const keygen = await runCliCaptured(["keygen", "team"], { cwd });
    assert.equal(keygen.code, 0, keygen.stderr);
    const privatePem = await readFile(join(cwd, "team.private.pem"), "utf8");
    const publicPem = await readFile(join(cwd, "team.public.pem"), "utf8");
    assert.match(privatePem, /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n$/);
    assert.match(publicPem, /^-----BEGIN RSA PUBLIC KEY-----\n[\s\S]+\n-----END RSA PUBLIC KEY-----\n$/);
    assert.equal(createPublicKey(publicPem).asymmetricKeyDetails?.modulusLength, 4096);
    assert.equal((await stat(join(cwd, "team.private.pem"))).mode & 0o777, 0o600);
    assert.equal((await runCliCaptured(["keygen", "team"], { cwd })).code, 1, "an existing key pair is never replaced without --force");

    const out = join(cwd, "signed.difypkg");
    const packaged = await runCliCaptured(["package", plugin.dir, "-o", out, "--sign", "team.private.pem", "--category", "community"], { cwd, env: { NO_COLOR: "1", SOURCE_DATE_EPOCH: "1764547200" } });
    assert.equal(packaged.code, 0, packaged.stderr);
    const checksum = /@([0-9a-f]{64})$/m.exec(packaged.stdout)![1];

    // Independently: Python reads the zip; the signature is checked here with node:crypto from Dify's definition.
    const zip = readZipWithPython(out);
    assert.deepEqual(entryRuleViolations(zip), []);
    assert.equal(zip.checksum, checksum, "the identity counts the verification entry, as Dify does on upload");
    const last = zip.entries[zip.entries.length - 1]!;
    assert.equal(last.name, ".verification.dify.json");
    assert.equal(Buffer.from(last.data, "base64").toString(), '{"authorized_category":"community"}');
    const comment = JSON.parse(zip.comment) as { signature: string; time: number };
    assert.deepEqual(Object.keys(comment), ["signature", "time"]);
    assert.equal(comment.time, 1764547200);
    const signed = Buffer.concat([...zip.entries.map((e) => createHash("sha256").update(Buffer.from(e.data, "base64")).digest()), Buffer.from(String(comment.time))]);
    assert.equal(verify("sha256", signed, createPublicKey(publicPem), Buffer.from(comment.signature, "base64")), true);

    const verified = await runCliCaptured(["verify", out, "--public-key", "team.public.pem"], { cwd });
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /^verified tester\/hello:0\.0\.1@[0-9a-f]{64}\n {2}signed 2025-12-01T00:00:00\.000Z for the community category/);
    assert.equal((await runCliCaptured(["checksum", out], { cwd })).stdout, `${checksum}\n`);

    // Another key does not verify it.
    // (2048 bits keeps the test fast; any other key must fail the same way.)
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "pem", type: "pkcs1" });
    await writeFile(join(cwd, "other.public.pem"), other);
    const otherKey = await runCliCaptured(["verify", out, "-k", "other.public.pem"], { cwd });
    assert.equal(otherKey.code, 1);
    assert.match(otherKey.stderr, /does not match this public key/);
    assert.equal((await runCliCaptured(["verify", out, "-k", "other.public.pem", "-k", "team.public.pem"], { cwd })).code, 0, "any of several keys");

    // One byte of one file changed, everything else (order, comment) kept: rewritten by Python, the signature fails.
    const tampered = join(cwd, "tampered.difypkg");
    execFileSync("python3", ["-c", TAMPER, out, tampered, "manifest.yaml"]);
    const bad = await runCliCaptured(["verify", tampered, "-k", "team.public.pem"], { cwd });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /does not match this public key/);
    // One raw byte flipped inside the first entry's compressed bytes: the damage is caught too.
    const raw = await readFile(out);
    const at = 30 + Buffer.byteLength("_assets/icon.svg") + 2;
    raw[at] = raw[at]! ^ 0xff;
    await writeFile(tampered, raw);
    assert.equal((await runCliCaptured(["verify", tampered, "-k", "team.public.pem"], { cwd })).code, 1);

    // An unsigned package fails verification; a key Dify cannot read is refused.
    const unsigned = join(cwd, "unsigned.difypkg");
    assert.equal((await runCliCaptured(["package", plugin.dir, "-o", unsigned], { cwd })).code, 0);
    const notSigned = await runCliCaptured(["verify", unsigned, "-k", "team.public.pem"], { cwd });
    assert.equal(notSigned.code, 1);
    assert.match(notSigned.stderr, /not signed/);
    await writeFile(join(cwd, "spki.pem"), createPublicKey(publicPem).export({ format: "pem", type: "spki" }));
    const spki = await runCliCaptured(["verify", out, "-k", "spki.pem"], { cwd });
    assert.equal(spki.code, 1);
    assert.match(spki.stderr, /Dify reads only "RSA PUBLIC KEY"/);
    await writeFile(join(cwd, "extra.pem"), `${publicPem}\n`);
    assert.match((await runCliCaptured(["verify", out, "-k", "extra.pem"], { cwd })).stderr, /extra data after the PEM block/);
  } finally {
    await plugin.remove();
  }
});

// Rewrites a zip with one byte of one entry changed, keeping entry order and the comment.
const TAMPER = String.raw`
import sys, zipfile
src, dst, name = sys.argv[1:4]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
    for info in z.infolist():
        data = z.read(info)
        if info.filename == name:
            data = bytes([data[0] ^ 1]) + data[1:]
        out.writestr(info.filename, data)
    out.comment = z.comment
`;

test("a key file that cannot be read, or is not a key Dify reads, is named with what to do", async () => {
  const plugin = await createTempPlugin({ "not-a-key.pem": "hello\n" });
  try {
    const cases: Array<[string[], number, RegExp]> = [
      [["package", ".", "--sign", "missing.pem"], 3, /^error: missing\.pem: cannot read the private key \(ENOENT\)$/m],
      [["package", ".", "--sign", "not-a-key.pem"], 1, /^error: not-a-key\.pem: .*\nhint: make a key pair Dify reads with `endpoint-kit keygen`$/m],
      [["verify", "x.difypkg", "--public-key", "missing.pem"], 3, /^error: missing\.pem: cannot read the public key \(ENOENT\)$/m],
      [["verify", "x.difypkg", "--public-key", "not-a-key.pem"], 1, /^error: not-a-key\.pem: .*\nhint: use the \.public\.pem that `endpoint-kit keygen` wrote$/m],
    ];
    for (const [args, code, message] of cases) {
      const run = await runCliCaptured(args, { cwd: plugin.dir });
      assert.equal(run.code, code, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(" "));
    }
  } finally {
    await plugin.remove();
  }
});
