// A seeded random source (mulberry32), so a chaos run that found something can be replayed with
// the seed it printed.

/** @param {number} seed */
export function createRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** A whole number in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** @template T @param {T[]} items @returns {T} */
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    /** A key of `weights` drawn in proportion to its weight. */
    weighted: (weights) => {
      const total = Object.values(weights).reduce((s, w) => s + w, 0);
      let r = next() * total;
      for (const [k, w] of Object.entries(weights)) {
        if ((r -= w) < 0) return k;
      }
      return Object.keys(weights)[0];
    },
  };
}
