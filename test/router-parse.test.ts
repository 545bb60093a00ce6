import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRule } from "../src/router/index.js";
import { parseConverterArgs } from "../src/router/converter-args.js";
import { parsePyFloat, parsePyInt } from "../src/router/python-values.js";

/** [rule, message part, offset, length, hint part or undefined] */
const ERRORS: Array<[string, string, number, number, string | undefined]> = [
  ["items", "must start with a slash", 0, 1, 'write "/items"'],
  ["", "must start with a slash", 0, 0, 'write "/"'],
  ["/<x", "malformed rule", 1, 2, 'close the variable with ">"'],
  ["/a<", "malformed rule", 2, 1, 'close the variable with ">"'],
  ["/<int:0x>", "malformed rule", 1, 8, "variable names are letters"],
  ["/< x>", "malformed rule", 1, 4, "variable names are letters"],
  ["/<>", "malformed rule", 1, 2, "a variable needs a name"],
  ["/<a:b:c>", "malformed rule", 1, 7, "write <name> or <converter(args):name>"],
  ["/<str:x>", 'unknown converter "str"', 2, 3, 'did you mean "string"?'],
  ["/<integer:n>", 'unknown converter "integer"', 2, 7, 'did you mean "int"?'],
  ["/<unt:n>", 'unknown converter "unt"', 2, 3, 'did you mean "int"?'],
  ["/<zzzzzz:n>", 'unknown converter "zzzzzz"', 2, 6, "converters: default, string, any, path, int, float, uuid"],
  ["/a//<str:x>", 'unknown converter "str"', 5, 3, 'did you mean "string"?'],
  ["/<str(-1):x>", "cannot parse converter argument '-'", 6, 1, undefined],
  ["/<int(-1):n>", "cannot parse converter argument '-'", 6, 1, undefined],
  ["/<int(a b):n>", "cannot parse converter argument 'a'", 6, 1, undefined],
  ["/<any(x,,y):k>", "cannot parse converter argument ','", 8, 1, undefined],
  ["/<int(foo=1):n>", 'unknown argument "foo" for int()', 6, 5, "int() takes fixed_digits, min, max, signed"],
  ["/<string(max_length=3):s>", 'unknown argument "max_length"', 9, 12, 'did you mean "maxlength"?'],
  ["/<float(fixed_digits=2):f>", 'unknown argument "fixed_digits" for float()', 8, 14, "float() takes min, max, signed"],
  ["/<any(x=1):k>", "any() takes only words", 6, 3, 'quote it: "x=..."'],
  ["/<int(1,fixed_digits=2):n>", 'int() got two values for "fixed_digits"', 8, 14, undefined],
  ["/<int(1, 2, 3, True, 5):n>", "too many arguments for int(): it takes at most 4", 21, 1, undefined],
  ["/<any(a, 1):k>", "any() items must be words or quoted strings, not 1", 9, 1, 'quote it: "1"'],
  ["/<any(None):k>", "not None", 6, 4, undefined],
  ["/<string(None):s>", "minlength must be an integer", 9, 4, undefined],
  ["/<string(length=abc):s>", "length must be an integer", 9, 10, undefined],
  ["/<string(length=\"-1\"):s>", "length must not be negative", 9, 11, undefined],
  ["/<string(minlength=3, maxlength=2):s>", "maxlength 2 is less than minlength 3", 22, 11, undefined],
  ["/<string(length=4294967295):s>", "length is too large", 9, 17, undefined],
  ["/<int(min=abc):n>", "min must be a number, not 'abc'", 6, 7, undefined],
  ["/<float(max=\"1\"):x>", "max must be a number, not '1'", 8, 7, undefined],
  ["/<a>/<a>", 'duplicate variable name "a"', 5, 3, "each variable in a rule needs its own name"],
  ["/<int:a>-<a>", 'duplicate variable name "a"', 9, 3, undefined],
  ["/<None>", '"None" cannot be a variable name', 1, 6, "Python reserves it"],
  ["/x/<__debug__>", '"__debug__" cannot be a variable name', 3, 11, undefined],
];

for (const [rule, message, offset, length, hint] of ERRORS) {
  test(`parseRule(${JSON.stringify(rule)}) is an error at ${offset}+${length}`, () => {
    const result = parseRule(rule);
    assert.equal(result.kind, "error", JSON.stringify(result));
    if (result.kind !== "error") return;
    assert.ok(result.message.includes(message), result.message);
    assert.deepEqual([result.offset, result.length], [offset, length], result.message);
    if (hint !== undefined) assert.ok(result.hint?.includes(hint), `hint: ${result.hint}`);
  });
}

/** [rule, variables as name:converter, isBranch, warnings as [message part, offset, length]] */
const VALID: Array<[string, string[], boolean, Array<[string, number, number]>]> = [
  ["/", [], true, []],
  ["/duck/<app_id>", ["app_id:default"], false, []],
  ["/messages/", [], true, []],
  ["/n/<int(min=1, max=10):id>/<path:rest>/", ["id:int", "rest:path"], true, []],
  ["/s/<string(length=2):lang>", ["lang:string"], false, []],
  ["/a/<any(about, help, \"a,b\"):page>", ["page:any"], false, []],
  ["/a/<any():page>", ["page:any"], false, []],
  ["/f/<float(signed=True, min=-1):x>".replace("min=-1", "min=1.5"), ["x:float"], false, []],
  ["/u/<uuid:id>", ["id:uuid"], false, []],
  ["/<class>/<self>", ["class:default", "self:default"], false, []],
  ["/<a>b>", ["a:default"], false, []],
  ["/<any(\"a)b\"):k>", ["k:any"], false, []],
  ["/<int():n>/<int( ):m>", ["n:int", "m:int"], false, []],
  ["/<int(min=1, min=2):n>", ["n:int"], false, []],
  ["/<string(length=True):s>/<string(1.9):t>/<string(\"3\"):u>", ["s:string", "t:string", "u:string"], false, []],
  ["/<int(5, @):n>", ["n:int"], false, [["werkzeug ignores this text", 9, 1]]],
  ["/<path(1):p>", ["p:path"], false, [["path takes no arguments", 7, 1]]],
  ["/<uuid(x=1):p>", ["p:uuid"], false, [["uuid takes no arguments", 7, 3]]],
  ["/<int(fixed_digits=abc):n>", ["n:int"], false, [["never matches", 6, 16]]],
  ["/<int(1,2):n>", ["n:int"], false, [["never matches", 6, 3]]],
  ["/<a><b><c><d><e><f><g><h><i><j><k>", ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"].map((n) => `${n}:default`), false, [["more than 10 variables", 0, 34]]],
];

for (const [rule, variables, isBranch, warnings] of VALID) {
  test(`parseRule(${JSON.stringify(rule)}) parses`, () => {
    const result = parseRule(rule);
    assert.equal(result.kind, "rule", JSON.stringify(result));
    if (result.kind !== "rule") return;
    assert.deepEqual(result.variables.map((v) => `${v.name}:${v.converter}`), variables);
    assert.equal(result.isBranch, isBranch);
    assert.deepEqual(
      result.warnings.map((w) => [warnings.find(([part]) => w.message.includes(part))?.[0] ?? w.message, w.offset, w.length]),
      warnings,
    );
  });
}

test("variable offsets point at the whole <...> part, in the original rule", () => {
  const result = parseRule("/a//b/<int(min=1):id>");
  assert.equal(result.kind, "rule");
  if (result.kind !== "rule") return;
  assert.deepEqual(result.variables, [{ name: "id", converter: "int", offset: 6, length: 15 }]);
});

test("all-ASCII converter arguments and numbers read the same through the ASCII patterns as through the Unicode ones", () => {
  // A fixed-seed generator over the characters the patterns care about: each case is read both ways.
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ["a", "Z", "1", "0", "_", ".", "=", ",", "'", '"', " ", "\t", "-", "+", "e", "E", "True", "False", "None", "x1", "\x1c", "inf", "nan", "u'", "r\""];
  const cases = ["", "1", "1,2", "length=2", "min=1, max=5", " signed = True ", "'a b', \"c\"", "1.5e3", "1_000", "-1", "a b", "x,,y", "2.", ".5", "inf", "NaN"];
  for (let i = 0; i < 3000; i++) {
    let text = "";
    for (let n = Math.floor(next() * 8); n > 0; n--) text += alphabet[Math.floor(next() * alphabet.length)];
    cases.push(text);
  }
  for (const text of cases) {
    assert.deepEqual(parseConverterArgs(text, false), parseConverterArgs(text, true), JSON.stringify(text));
    // A trailing Python space that is not ASCII sends the same text through the Unicode patterns.
    assert.equal(parsePyInt(text), parsePyInt(`${text}\u3000`), JSON.stringify(text));
    assert.ok(Object.is(parsePyFloat(text), parsePyFloat(`${text}\u3000`)), JSON.stringify(text));
  }
});
