/**
 * The source file `validate --fix` creates for an endpoint whose source is missing: the smallest
 * working endpoint of the right language (it echoes what it matched, like `init`'s template), so
 * the plugin validates and `dev` serves it until the author writes the real handler.
 */
import { posix } from "node:path";

/** `hello-world.py` -> `HelloWorld`: a class name Python and JavaScript accept. */
export function className(file: string): string {
  const base = posix.basename(file).replace(/\.[^.]+$/, "");
  const name = base.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  if (name === "" || /^[0-9]/.test(name)) return `Endpoint${name}`;
  return name === "Endpoint" ? "MyEndpoint" : name;
}

/** The stub's text for a source path (.py, .ts, .mts, .js, .mjs), or undefined for another extension. */
export function sourceStub(file: string): string | undefined {
  const name = className(file);
  const endpoint = posix.basename(file).replace(/\.[^.]+$/, "");
  if (file.endsWith(".py")) {
    return `from typing import Mapping

from werkzeug import Request, Response

from dify_plugin import Endpoint


class ${name}(Endpoint):
    def _invoke(self, r: Request, values: Mapping, settings: Mapping) -> Response:
        """A stub made by endpoint-kit validate --fix: write the handler here."""
        return Response(f"${endpoint}: not implemented yet ({r.method} {r.path})", status=501, content_type="text/plain")
`;
  }
  if (/\.m?ts$/.test(file)) {
    return `import { Endpoint, type EndpointSettings, type EndpointValues } from "endpoint-kit";

/** A stub made by endpoint-kit validate --fix: write the handler here. */
export default class ${name} extends Endpoint {
  override _invoke(request: Request, _values: EndpointValues, _settings: EndpointSettings): Response {
    return new Response(\`${endpoint}: not implemented yet (\${request.method} \${new URL(request.url).pathname})\`, { status: 501 });
  }
}
`;
  }
  if (/\.m?js$/.test(file)) {
    return `import { Endpoint } from "endpoint-kit";

/** A stub made by endpoint-kit validate --fix: write the handler here. */
export default class ${name} extends Endpoint {
  _invoke(request) {
    return new Response(\`${endpoint}: not implemented yet (\${request.method} \${new URL(request.url).pathname})\`, { status: 501 });
  }
}
`;
  }
  return undefined;
}
