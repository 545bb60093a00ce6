/**
 * An independent reader for the packages the tests produce: Python's `zipfile` (CRCs checked with
 * `testzip`), and Dify's checksum recomputed in Python from the Go code's definition, so neither
 * depends on endpoint-kit's own zip reader or checksum.
 */
import { execFileSync } from "node:child_process";

export interface PythonZipEntry {
  name: string;
  method: number;
  flags: number;
  isDir: boolean;
  /** Version made by, version needed, external attributes, extra length, DOS date and time. */
  layout: [number, number, number, number, number[]];
  /** The entry's bytes, base64. */
  data: string;
}

export interface PythonZip {
  entries: PythonZipEntry[];
  comment: string;
  /** `testzip()`: the first entry with a bad CRC, or null. */
  bad: string | null;
  /** Dify's checksum over the entries, computed in Python. */
  checksum: string;
}

const SCRIPT = String.raw`
import base64, hashlib, json, posixpath, sys, zipfile
def read(path):
  z = zipfile.ZipFile(path)
  entries = []
  digests = {}
  for info in z.infolist():
    data = z.read(info)
    entries.append({"name": info.filename, "method": info.compress_type, "flags": info.flag_bits,
                    "isDir": info.is_dir(), "data": base64.b64encode(data).decode(),
                    "layout": [info.create_version, info.extract_version, info.external_attr, len(info.extra), list(info.date_time)]})
    digests[posixpath.normpath(info.filename)] = hashlib.sha256(data).digest()
  outer = hashlib.sha256()
  for key in sorted(digests, key=lambda k: k.encode("utf-8")):
    outer.update(hashlib.sha256(key.encode("utf-8")).digest())
    outer.update(digests[key])
  return {"entries": entries, "comment": z.comment.decode("utf-8"), "bad": z.testzip(), "checksum": outer.hexdigest()}
print(json.dumps([read(p) for p in sys.argv[1:]]))
`;

/** Reads a package with Python's `zipfile`. */
export function readZipWithPython(path: string): PythonZip {
  return readZipsWithPython([path])[0]!;
}

/** Reads several packages with one Python process. */
export function readZipsWithPython(paths: readonly string[]): PythonZip[] {
  return JSON.parse(execFileSync("python3", ["-c", SCRIPT, ...paths], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })) as PythonZip[];
}

/** The rules every package must follow for Dify's decoder; returns the broken ones. */
export function entryRuleViolations(zip: PythonZip): string[] {
  const problems: string[] = [];
  const names = zip.entries.map((e) => e.name);
  if (zip.bad !== null) problems.push(`bad CRC in ${zip.bad}`);
  if (!names.includes("manifest.yaml")) problems.push("no manifest.yaml at the root");
  for (const e of zip.entries) {
    if (e.isDir || e.name.endsWith("/")) problems.push(`folder entry ${e.name}`);
    if (e.name.includes("\\")) problems.push(`backslash in ${e.name}`);
    if (e.name.startsWith("/") || e.name.startsWith("./") || e.name.split("/").includes("..")) problems.push(`unsafe name ${e.name}`);
    if (e.method !== 8) problems.push(`${e.name} is not deflated`);
  }
  // Sorted by UTF-8 bytes, except the verification entry Dify's signer appends last.
  const body = names.filter((n, i) => !(n === ".verification.dify.json" && i === names.length - 1));
  const sorted = [...body].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (body.join("\n") !== sorted.join("\n")) problems.push(`entries are not sorted: ${body.join(", ")}`);
  if (new Set(names).size !== names.length) problems.push("duplicate entries");
  return problems;
}
