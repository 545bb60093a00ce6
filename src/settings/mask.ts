/**
 * Hides secret setting values in any text bound for the terminal (logs, banners, handler errors).
 */

export const MASK = "****";

/** Returns a function that replaces every occurrence of each secret (longest first) with `****`. */
export function createMasker(secrets: readonly string[]): (text: string) => string {
  const usable = [...new Set(secrets.filter((s) => s.length >= 2))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return (text) => text;
  const pattern = new RegExp(usable.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return (text) => text.replace(pattern, MASK);
}
