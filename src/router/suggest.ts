/** "Did you mean" suggestions for misspelled converter and argument names. */
import { editDistance } from "../diagnostics/did-you-mean.js";

const ALIASES: Record<string, string> = {
  str: "string",
  text: "string",
  slug: "string",
  integer: "int",
  number: "int",
  num: "int",
  double: "float",
  decimal: "float",
  guid: "uuid",
  uuid4: "uuid",
  enum: "any",
  oneof: "any",
};

/** The candidate closest to `name` (a known alias, or within a third of its length in edits). */
export function suggestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const alias = ALIASES[lower];
  if (alias !== undefined && candidates.includes(alias)) return alias;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3));
  for (const candidate of candidates) {
    const distance = editDistance(lower.replaceAll("_", ""), candidate.replaceAll("_", ""));
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance - 1;
    }
  }
  return best;
}

/**
 * The one candidate `name` certainly meant, for fixes: a known alias (`str` for `string`), or the
 * only candidate at the smallest distance within the typo limit. Undefined when two are as close.
 */
export function unambiguousName(name: string, candidates: readonly string[]): string | undefined {
  const alias = ALIASES[name.toLowerCase()];
  if (alias !== undefined) return candidates.includes(alias) ? alias : undefined;
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase().replaceAll("_", ""), candidate.replaceAll("_", "")) }));
  const best = Math.min(...scored.map((s) => s.distance));
  const at = scored.filter((s) => s.distance === best);
  return best <= limit && at.length === 1 ? at[0]!.candidate : undefined;
}
