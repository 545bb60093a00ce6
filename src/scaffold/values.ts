/**
 * The values of the template variables, made from the answers: the explicit list in `render.ts`
 * is filled here and nowhere else.
 */
import type { PluginAnswers, EndpointAnswers, Language } from "./answers.js";
import { toClassName, toLabel } from "./names.js";
import type { TemplateValues } from "./render.js";
import { exampleFor } from "./rule-check.js";

/** Where `endpoint-kit dev` listens by default (it also serves each path without Dify's `/e/<hook_id>`). */
const DEV_BASE_URL = "http://127.0.0.1:5002";

export interface PluginIdentity {
  name: string;
  author: string;
  description: string;
  language: Language;
  createdAt: string;
  groupFile: string;
}

/** Values for a new plugin. */
export function pluginValues(answers: PluginAnswers): TemplateValues {
  return templateValues(
      {
        name: answers.name,
        author: answers.author,
        description: answers.description,
        language: answers.language,
        createdAt: answers.createdAt,
        groupFile: `group/${answers.name}.yaml`,
      },
      answers.endpoint,
  );
}

/** Values for one endpoint of a plugin (plugin-level values as read from its manifest). */
export function templateValues(plugin: PluginIdentity, endpoint: EndpointAnswers): TemplateValues {
  const example = exampleFor(endpoint.path, endpoint.method);
  return {
    plugin_name: plugin.name,
    plugin_label: toLabel(plugin.name),
    author: plugin.author,
    description: plugin.description,
    created_at: plugin.createdAt,
    language: plugin.language,
    group_file: plugin.groupFile,
    endpoint_name: endpoint.name,
    endpoint_class: toClassName(endpoint.name),
    endpoint_path: endpoint.path,
    endpoint_method: endpoint.method,
    example_url_path: example.path,
    example_values_json: JSON.stringify(example.values),
    example_curl: curlFor(endpoint.method, `${DEV_BASE_URL}${example.path}`),
  };
}

/** A curl command line for a request, the URL single-quoted for POSIX shells. */
export function curlFor(method: string, url: string): string {
  const quoted = `'${url.replaceAll("'", "'\\''")}'`;
  if (method === "HEAD") return `curl -I ${quoted}`;
  if (method === "GET") return `curl -i ${quoted}`;
  if (method === "POST" || method === "PUT") return `curl -i -X ${method} -H 'Content-Type: application/json' -d '{}' ${quoted}`;
  return `curl -i -X ${method} ${quoted}`;
}

/** RFC 3339 with seconds, UTC: what real manifests carry in `created_at`. */
export function formatCreatedAt(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
