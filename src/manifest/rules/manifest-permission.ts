import { defineRule } from "../rule.js";
import { getIn, getPairIn } from "../query.js";

export const manifestPermission = defineRule({
  id: "manifest-permission",
  description: "`resource.permission.endpoint.enabled` is true, or Dify refuses to create the plugin's endpoints",
  severity: "error",
  check({ project, report }) {
    const manifest = project.manifest;
    const resource = getIn(manifest?.root, ["resource"]);
    if (!manifest || resource?.kind !== "map") return;
    const enabled = getIn(resource, ["permission", "endpoint", "enabled"]);
    if (enabled?.kind === "scalar" && enabled.value === true) return;
    // Point at the wrong value, or else at the deepest key of the path that is there.
    const deepest = [["resource", "permission", "endpoint"], ["resource", "permission"], ["resource"]].map((keys) => getPairIn(manifest.root, keys)).find(Boolean);
    report(manifest, enabled ?? deepest?.keyNode ?? { start: resource.start, end: resource.start },
      "the endpoint permission is not enabled: the plugin installs, but creating an endpoint fails with \"permission denied\"",
      { hint: "add `resource.permission.endpoint.enabled: true`" });
  },
});
