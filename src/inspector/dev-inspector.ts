/**
 * The inspector as `dev` builds it: its view of the session (routes, masked settings, the plugin
 * folder for fixtures), the limits from the flags, and the reserved-path check run at start.
 */
import type { DevFlags } from "../program.js";
import type { DevSession } from "../server/dev-session.js";
import { MASK } from "../settings/mask.js";
import { packageVersion } from "../package-root.js";
import { INSPECTOR_PREFIX } from "./guard.js";
import { Inspector } from "./inspector.js";
import { DEFAULT_LIMITS } from "./store.js";

const VERSION = packageVersion();

export function createDevInspector(session: () => DevSession, flags: Pick<DevFlags, "inspectMaxRequests" | "inspectMaxMb">): Inspector {
  const inspector = new Inspector(
    {
      root: () => session().root,
      hookId: () => session().state.hookId,
      routes: () => session().plan.endpoints.map((e) => ({ id: e.id, method: e.method, path: e.path, runtime: e.runtime, file: e.source, unavailable: session().state.unavailable.get(e.id) })),
      settings: () => {
        const { values, secrets } = session().settings;
        const secret = new Set(secrets);
        return Object.entries(values).map(([name, value]) => {
          const isSecret = typeof value === "string" && secret.has(value);
          return { name, secret: isSecret, value: isSecret ? MASK : session().mask(JSON.stringify(value) ?? "null") };
        });
      },
      settingValues: () => session().settings.values,
      mask: (text) => session().mask(text),
      version: VERSION,
      // The pipeline reads the same field once a reload under way has settled.
      state: () => session().state,
    },
    {
      maxRecords: flags.inspectMaxRequests ?? DEFAULT_LIMITS.maxRecords,
      maxBytes: flags.inspectMaxMb !== undefined ? flags.inspectMaxMb * 1024 * 1024 : DEFAULT_LIMITS.maxBytes,
    },
  );
  return inspector;
}

/** A plugin rule that would take `/_endpoint-kit/...` requests: loopback ones go to the inspector instead. */
export function reservedPathWarnings(session: DevSession): string[] {
  const warnings: string[] = [];
  for (const method of ["GET", "POST"]) {
    for (const path of [`${INSPECTOR_PREFIX}/`, `${INSPECTOR_PREFIX}/api/requests`]) {
      const match = session.state.router.match(path, method);
      if (match.kind === "ok") {
        warnings.push(`${match.endpoint}: its path matches ${path}, which dev reserves for the request inspector on 127.0.0.1/localhost (it still serves through /e/${session.state.hookId}${path}, a tunnel's host, or with --no-inspect)`);
        return warnings;
      }
    }
  }
  return warnings;
}
