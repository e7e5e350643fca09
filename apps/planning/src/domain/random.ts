/** A random source returning numbers in [0, 1); pass a seeded one for repeatable forecasts. */
export type RandomSource = () => number;

/** mulberry32: a tiny, fast, seedable generator (statistical quality is ample for forecasts). */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
