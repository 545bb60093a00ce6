/**
 * The fixture `init` writes beside each endpoint it creates: the example request the generated
 * README shows, with a value for every declared setting, and the answer the generated handler gives
 * it, so `endpoint-kit test` passes on a fresh plugin and fails with a diff once the handler changes.
 */
import type { Answer } from "../fixtures/compare.js";
import { renderFixture } from "../fixtures/render-fixture.js";
import type { EndpointAnswers } from "./answers.js";
import type { PlannedFile } from "./plan.js";
import { exampleFor } from "./rule-check.js";

/** A declared setting, as much as the fixture needs to give it a valid value. */
export interface FixtureSetting {
  name: string;
  type: string;
  options?: readonly string[];
}

const encoder = new TextEncoder();

/** `fixtures/<endpoint>.yaml` for an endpoint made from the bundled templates. */
export function planEndpointFixture(endpoint: EndpointAnswers, settings: readonly FixtureSetting[]): PlannedFile {
  const example = exampleFor(endpoint.path, endpoint.method);
  const values: Record<string, unknown> = {};
  for (const setting of settings) values[setting.name] = exampleValue(setting);
  // What both templates' handlers answer: the endpoint, the method, the path values and the setting names.
  const body = { endpoint: endpoint.name, method: endpoint.method, values: example.values, settings: Object.keys(values).sort() };
  const answer: Answer = {
    status: 200,
    headers: [["content-type", "application/json"]],
    chunks: endpoint.method === "HEAD" ? [] : [encoder.encode(JSON.stringify(body))],
  };
  const comment = example.matched
    ? "A request and the answer it must get: `endpoint-kit test` sends it to the real handler.\nWhen the endpoint changes on purpose, run `endpoint-kit test --update` to record the new answer."
    : "No example path matched the endpoint's rule: set `request.path`, then run\n`endpoint-kit test --update` to record the answer.";
  let text = renderFixture({
    name: `${endpoint.name} answers with its path values`,
    request: { method: endpoint.method, path: example.path },
    ...(settings.length > 0 ? { settings: values } : {}),
    answer,
    comment,
  });
  if (!example.matched) text = text.slice(0, text.indexOf("\nexpect:") + 1);
  return { path: `fixtures/${endpoint.name}.yaml`, bytes: encoder.encode(text) };
}

/** A value Dify would accept for the setting's type (`test-<name>` for text and secrets). */
function exampleValue(setting: FixtureSetting): unknown {
  switch (setting.type) {
    case "boolean":
      return false;
    case "select":
      return setting.options?.[0] ?? "";
    case "app-selector":
      return { app_id: "00000000-0000-0000-0000-000000000000" };
    case "model-selector":
      return { provider: "openai", model: "gpt-4o-mini", model_type: "llm" };
    case "array[tools]":
      return [];
    default:
      return `test-${setting.name.replace(/_/g, "-")}`;
  }
}
