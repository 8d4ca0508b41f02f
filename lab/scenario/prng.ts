/** A small seeded PRNG (mulberry32): the generator must give the same ISP for the same seed. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Upper-case hex string of `digits` characters. */
  hex(digits: number): string;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
    hex(digits) {
      let out = "";
      while (out.length < digits) out += int(0, 0xffff).toString(16).padStart(4, "0");
      return out.slice(0, digits).toUpperCase();
    },
  };
}

/** Seeds from text too, so `--seed demo` works as well as `--seed 42`. */
export function seedFrom(value: string | number): number {
  if (typeof value === "number") return value >>> 0;
  if (/^\d+$/.test(value)) return Number(value) >>> 0;
  let h = 2166136261;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619);
  return h >>> 0;
}
