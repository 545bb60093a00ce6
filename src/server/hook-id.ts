/**
 * The hook id in `/e/<hook_id>/...`: Dify makes 16 random lower-case letters; dev derives them from
 * the plugin's folder and name so URLs stay the same across restarts (webhook settings keep working).
 */
import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import type { Project } from "../manifest/model.js";
import { getNode, stringOf } from "../manifest/query.js";

export async function stableHookId(project: Project): Promise<string> {
  const root = await realpath(project.root).catch(() => project.root);
  const name = stringOf(getNode(project.manifest?.root, "name")) ?? "";
  const digest = createHash("sha256").update(`${root}\0${name}`).digest();
  return Array.from(digest.subarray(0, 16), (byte) => String.fromCharCode(97 + (byte % 26))).join("");
}

export function isValidHookId(id: string): boolean {
  return /^[a-zA-Z0-9_-]{1,64}$/.test(id);
}
