import { test } from "node:test";
import assert from "node:assert/strict";
import { goMatch } from "../src/package/go-match.js";
import { firstExcluding, parseIgnoreFile } from "../src/package/ignore.js";
import { isUuidLikeAuthor } from "../src/package/identity.js";
import { findRefusals, looksLikeSettingsFile } from "../src/package/must-not-ship.js";

test("goMatch follows Go's filepath.Match", () => {
  const cases: Array<[string, string, boolean | "bad-pattern"]> = [
    ["*.py", "main.py", true],
    ["*.py", "main.pyc", false],
    ["ma?n.py", "main.py", true],
    ["?", "é", true], // one rune, not one byte
    ["[a-c]at", "bat", true],
    ["[^a-c]at", "bat", false],
    ["[^a-c]at", "rat", true],
    ["[!a-c]at", "!at", true], // Go has no `!` negation: it is a literal
    ["[!a-c]at", "rat", false],
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "axxbyy", false],
    ["*", ".env", true],
    ["[", "a", "bad-pattern"],
    ["a\\", "a", "bad-pattern"],
    ["[a-]", "a", "bad-pattern"],
    ["x[", "a", "bad-pattern"], // the rest of the pattern is checked even after a mismatch
    ["", "", true],
    ["", "a", false],
  ];
  for (const [pattern, name, expected] of cases) assert.equal(goMatch(pattern, name), expected, `${pattern} vs ${name}`);
});

function excluded(ignore: string, path: string, isDir = false): string | undefined {
  return firstExcluding(parseIgnoreFile(ignore), path.split("/"), isDir)?.text;
}

test("ignore patterns follow go-git v5 as Dify's packager uses them", () => {
  // A name without `/` matches at any depth.
  assert.equal(excluded("*.pyc", "a/b/c.pyc"), "*.pyc");
  assert.equal(excluded("__pycache__", "src/__pycache__", true), "__pycache__");
  // A trailing `/` needs a folder at the last component...
  assert.equal(excluded("build/", "build"), undefined);
  assert.equal(excluded("build/", "build", true), "build/");
  // ...but a file inside a folder of that name still matches (the folder itself would have been pruned).
  assert.equal(excluded("build/", "build/x"), "build/");
  // A pattern with `/` is anchored at the root, with or without a leading `/`.
  assert.equal(excluded("docs/*.md", "docs/a.md"), "docs/*.md");
  assert.equal(excluded("docs/*.md", "x/docs/a.md"), undefined);
  assert.equal(excluded("/main.py", "main.py"), "/main.py");
  assert.equal(excluded("/main.py", "sub/main.py"), undefined);
  // `**/x` at any depth; `x/**` also matches x itself in go-git v5; `a**` inside a segment never matches.
  assert.equal(excluded("**/fixtures", "a/b/fixtures", true), "**/fixtures");
  assert.equal(excluded("tests/**", "tests", true), "tests/**");
  assert.equal(excluded("a/b**", "a/bc"), undefined);
  // Negation never re-includes: the first excluding pattern wins.
  assert.equal(excluded("*.md\n!README.md", "README.md"), "*.md");
  // Lines are trimmed (CRLF files work); blank and # lines are skipped; `\#` is a literal #.
  assert.equal(excluded("  .env \r\n# .git\n", ".env"), ".env");
  assert.equal(excluded("# .git", ".git", true), undefined);
  assert.equal(excluded("\\#notes", "#notes"), "\\#notes");
  // A malformed pattern matches nothing.
  assert.equal(excluded("[", "["), undefined);
  assert.deepEqual(parseIgnoreFile("a\n\n# c\nb/").map((p) => p.line), [1, 4]);
});

test("must-not-ship rules name each file, group folders, and suggest the ignore line", () => {
  const refusals = findRefusals(
    ["manifest.yaml", ".env", ".env.example", ".env.local", ".git/HEAD", ".git/config", "settings.local.yaml", "old.difypkg", "node_modules/x/index.js", "sub/.venv/bin/python", ".endpoint-kit/storage/k", "endpoint-kit.stubs.json", "my.yaml"],
    [],
    new Set(["my.yaml"]),
  );
  assert.deepEqual(
    refusals.map((r) => [r.path, r.files, r.ignoreLine]),
    [
      [".env", 1, ".env"],
      [".env.local", 1, ".env.local"],
      [".git/", 2, ".git/"],
      ["settings.local.yaml", 1, "settings.local.yaml"],
      ["old.difypkg", 1, "*.difypkg"],
      ["node_modules/", 1, "node_modules/"],
      ["sub/.venv/", 1, ".venv/"],
      [".endpoint-kit/", 1, ".endpoint-kit/"],
      ["endpoint-kit.stubs.json", 1, "endpoint-kit.stubs.json"],
      ["my.yaml", 1, "my.yaml"],
    ],
  );
  // Every suggested line really excludes what it is suggested for.
  for (const r of refusals) {
    const path = r.path.endsWith("/") ? r.path.slice(0, -1) : r.path;
    assert.ok(firstExcluding(parseIgnoreFile(r.ignoreLine), path.split("/"), r.path.endsWith("/")), r.ignoreLine);
  }
  // A `!` line ships a file (or a folder) on purpose.
  assert.deepEqual(findRefusals([".env", ".git/HEAD"], parseIgnoreFile("!.env\n!.git/")), []);
});

test("a settings file is a mapping of declared settings only", () => {
  const names = new Set(["api_key", "region"]);
  assert.equal(looksLikeSettingsFile("api_key: sk-123\n", names), true);
  assert.equal(looksLikeSettingsFile("api_key: x\nregion: eu\n", names), true);
  assert.equal(looksLikeSettingsFile("api_key: x\nother: 1\n", names), false);
  assert.equal(looksLikeSettingsFile("{}\n", names), false);
  assert.equal(looksLikeSettingsFile("- a\n", names), false);
  assert.equal(looksLikeSettingsFile("api_key: x\n", new Set()), false);
});

test("an author Dify would read as a UUID", () => {
  assert.equal(isUuidLikeAuthor("0f8fad5b-d9cb-469f-a165-70867728950e"), true);
  assert.equal(isUuidLikeAuthor("0f8fad5bd9cb469fa16570867728950e"), true);
  assert.equal(isUuidLikeAuthor("langgenius"), false);
  assert.equal(isUuidLikeAuthor("0f8fad5b-d9cb-469f-a165-70867728950"), false);
});
