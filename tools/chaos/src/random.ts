import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded random source (xoroshiro128+): the same seed gives the same choices in the same order. */
export interface Random {
  /** A whole number from `from` to `to`, both included. */
  int(from: number, to: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed);
  return {
    int: (from, to) => uniformInt(rng, from, to),
    chance: (p) => uniformFloat64(rng) < p,
    pick: (items) => items[uniformInt(rng, 0, items.length - 1)]!,
  };
}
