import assert from "node:assert/strict";
import { test } from "node:test";
import { createRouter, describeMiss, type MatchResult, type RouteRule } from "../src/router/index.js";

const route = (rule: string, method = "GET", endpoint = rule): RouteRule => ({ rule, method, endpoint });

/** A short text for a result: `ok <endpoint> name=type:text ...`, `404`, `405 GET,HEAD`, `308 /x/`. */
function summarize(result: MatchResult): string {
  switch (result.kind) {
    case "ok":
      return ["ok", result.endpoint, ...Object.entries(result.values).map(([k, v]) => `${k}=${v.type}:${v.text}`)].join(" ");
    case "not-found":
      return "404";
    case "method-not-allowed":
      return `405 ${result.allowed.join(",")}`;
    case "redirect":
      return `308 ${result.location}`;
  }
}

/** [routes, method, raw path, expected summary] */
const ROWS: Array<[RouteRule[], string, string, string]> = [
  // SPEC section 6, row by row.
  [[route("/duck/<app_id>", "GET", "duck")], "GET", "/duck/abc", "ok duck app_id=string:abc"],
  [[route("/duck/<app_id>", "GET", "duck")], "GET", "/duck/abc/", "404"],
  [[route("/duck/<app_id>", "GET", "duck")], "GET", "/duck/", "404"],
  [[route("/duck/<app_id>", "GET", "duck")], "GET", "/duck/a%2Fb", "404"],
  [[route("/duck/<app_id>", "GET", "duck")], "GET", "/duck//abc", "308 /duck/abc"],
  [[route("/n/<int:id>", "GET", "n")], "GET", "/n/12", "ok n id=int:12"],
  [[route("/n/<int:id>", "GET", "n")], "GET", "/n/-1", "404"],
  [[route("/n/<int:id>", "GET", "n")], "GET", "/n/x", "404"],
  [[route("/f/<path:rest>", "GET", "f")], "GET", "/f/a/b/c", "ok f rest=string:a/b/c"],
  [[route("/f/<path:rest>", "GET", "f")], "GET", "/f/", "404"],
  [[route("/fl/<float:x>", "GET", "fl")], "GET", "/fl/1.5", "ok fl x=float:1.5"],
  [[route("/fl/<float:x>", "GET", "fl")], "GET", "/fl/1", "404"],
  [[route("/s/<string(length=2):lang>", "GET", "s")], "GET", "/s/en", "ok s lang=string:en"],
  [[route("/s/<string(length=2):lang>", "GET", "s")], "GET", "/s/eng", "404"],
  [[route("/a/<any(x, y):k>", "GET", "a")], "GET", "/a/x", "ok a k=string:x"],
  [[route("/a/<any(x, y):k>", "GET", "a")], "GET", "/a/z", "404"],
  [[route("/messages/", "POST", "m")], "POST", "/messages", "308 /messages/"],
  [[route("/", "GET", "get"), route("/", "POST", "post")], "HEAD", "/", "ok get"],
  [[route("/", "GET", "get"), route("/", "POST", "post")], "PUT", "/", "405 GET,HEAD,POST"],
  [[route("/", "GET", "get"), route("/", "POST", "post")], "OPTIONS", "/", "405 GET,HEAD,POST"],
  // Ordering: static text first, then converter weight, then declaration order.
  [[route("/i/<name>", "GET", "name"), route("/i/new", "GET", "new")], "GET", "/i/new", "ok new"],
  [[route("/i/<name>", "GET", "name"), route("/i/<int:id>", "GET", "id")], "GET", "/i/5", "ok id id=int:5"],
  [[route("/i/<a>", "GET", "first"), route("/i/<b>", "GET", "second")], "GET", "/i/x", "ok first a=string:x"],
  [[route("/i/<path:p>", "GET", "path"), route("/i/<x>", "GET", "one")], "GET", "/i/x", "ok one x=string:x"],
  [[route("/<a>/<b>", "GET", "two"), route("/x-<a>/<b>", "GET", "prefixed")], "GET", "/x-1/2", "ok prefixed a=string:1 b=string:2"],
  // A failed converter check ends the match: no fall-through to the next rule.
  [[route("/items/<int(max=10):n>", "GET", "n"), route("/items/<name>", "GET", "name")], "GET", "/items/50", "404"],
  [[route("/items/<int(max=10):n>", "GET", "n"), route("/items/<name>", "GET", "name")], "GET", "/items/5", "ok n n=int:5"],
  [[route("/p/<int(min=1):n>", "GET")], "GET", "/p/0", "404"],
  [[route("/p/<int(fixed_digits=3):n>", "GET")], "GET", "/p/007", "ok /p/<int(fixed_digits=3):n> n=int:007"],
  // Methods: HEAD from GET, 405 lists every matching rule's methods, lower case accepted.
  [[route("/x", "POST"), route("/x", "put")], "GET", "/x", "405 POST,PUT"],
  [[route("/x", "POST"), route("/x", "put")], "put", "/x", "ok /x"],
  [[route("/x", "HEAD")], "GET", "/x", "405 HEAD"],
  [[route("/x", "PATCH")], "PATCH", "/x", "ok /x"],
  // Slashes: branch redirect, `//` merged by redirect, leading slashes stripped, inner `//` kept by path.
  [[route("/b/<x>/")], "GET", "/b/1", "308 /b/1/"],
  [[route("/b/<x>/")], "GET", "/b/1//", "308 /b/1/"],
  [[route("/b/", "POST")], "GET", "/b", "404"],
  [[route("/a/b")], "GET", "//a/b", "ok /a/b"],
  [[route("/a/b")], "GET", "/%2Fa/b", "ok /a/b"],
  [[route("/a/b")], "GET", "/a%2Fb", "ok /a/b"],
  [[route("/a//b")], "GET", "/a/b", "ok /a//b"],
  [[route("/f/<path:p>")], "GET", "/f/a//b", "ok /f/<path:p> p=string:a//b"],
  [[route("/f/<path:p>/")], "GET", "/f/a/b", "308 /f/a/b/"],
  [[route("/f/<path:p>/edit")], "GET", "/f/a/b/edit", "ok /f/<path:p>/edit p=string:a/b"],
  [[route("/")], "GET", "", "308 /"],
  // Percent-decoding: UTF-8, invalid bytes replaced, redirect locations re-encoded.
  [[route("/caf\u00e9/<x>")], "GET", "/caf%C3%A9/%F0%9F%A6%86", "ok /caf\u00e9/<x> x=string:\u{1f986}"],
  [[route("/s/<x>")], "GET", "/s/%ff", "ok /s/<x> x=string:\ufffd"],
  [[route("/s/<x>")], "GET", "/s/a%20b%zz", "ok /s/<x> x=string:a b%zz"],
  [[route("/s/<x>/")], "GET", "/s/a%20b", "308 /s/a%20b/"],
  // Values: Unicode digits, big ints, uuids, floats.
  [[route("/n/<int:n>")], "GET", "/n/%D9%A1%D9%A2", "ok /n/<int:n> n=int:12"],
  [[route("/n/<int:n>")], "GET", "/n/123456789012345678901234567890", "ok /n/<int:n> n=int:123456789012345678901234567890"],
  [[route("/n/<int(signed=True):n>")], "GET", "/n/-3", "ok /n/<int(signed=True):n> n=int:-3"],
  [[route("/u/<uuid:u>")], "GET", "/u/123E4567-E89B-12D3-A456-426614174000", "ok /u/<uuid:u> u=uuid:123e4567-e89b-12d3-a456-426614174000"], // str(uuid.UUID(...)) is lower case
  [[route("/f/<float(min=0.5, max=2):x>")], "GET", "/f/2.5", "404"],
];

for (const [routes, method, path, expected] of ROWS) {
  test(`${routes.map((r) => `${r.method} ${r.rule}`).join(" + ")}: ${method} ${JSON.stringify(path)} -> ${expected}`, () => {
    assert.equal(summarize(createRouter(routes).match(path, method)), expected);
  });
}

test("invalid rules are skipped and reported, the others still match", () => {
  const router = createRouter([route("/<str:x>", "GET", "bad"), route("/<x>", "GET", "good")]);
  assert.deepEqual(
    router.rejected.map((r) => [r.index, r.route.endpoint, r.error.message, r.error.offset]),
    [[0, "bad", 'unknown converter "str"', 2]],
  );
  assert.equal(summarize(router.match("/abc", "GET")), "ok good x=string:abc");
});

test("describeMiss gives str() of werkzeug's exception", () => {
  assert.equal(
    describeMiss({ kind: "not-found" }),
    "404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
  );
  assert.equal(describeMiss({ kind: "method-not-allowed", allowed: ["GET"] }), "405 Method Not Allowed: The method is not allowed for the requested URL.");
  assert.equal(describeMiss({ kind: "redirect", location: "/messages/" }), "308 Permanent Redirect: http://localhost/messages/");
  assert.equal(
    describeMiss({ kind: "redirect", location: "/m/" }, { origin: "https://dify.example", query: "a=1" }),
    "308 Permanent Redirect: https://dify.example/m/?a=1",
  );
});
