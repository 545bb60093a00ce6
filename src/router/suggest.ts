/** "Did you mean" suggestions for misspelled converter and argument names. */

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

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

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
