/**
 * A seeded random source for generated tests (mulberry32: small, fast, deterministic), so a failing
 * case comes back with the same seed.
 */

/** Numbers in [0, 1), whole numbers below `n`, an item of a list, and a yes with probability `p`. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number): boolean => next() < p };
}

/** The source `createRandom` returns. */
export type Random = ReturnType<typeof createRandom>;
