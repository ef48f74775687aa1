/** A seeded pseudo-random source: the same seed gives the same sequence on every machine. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  uint32(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A version-4-shaped GUID drawn from this sequence (not from crypto). */
  guid(): string;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** Random digits, e.g. for the variable tail of a phone number. */
  digits(count: number): string;
}

const hexByte = Array.from({ length: 256 }, (_, value) => value.toString(16).padStart(2, '0'));

/**
 * sfc32 seeded through splitmix32: fast, small state, and good enough for test data. Not for secrets.
 */
export function createRandom(seed: number): Random {
  let mix = seed >>> 0;
  const splitmix = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i += 1) nextUint32();

  const next = (): number => nextUint32() / 4294967296;
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    uint32: nextUint32,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick: expected a non-empty list');
      return items[int(0, items.length - 1)] as T;
    },
    guid: () => {
      const a = nextUint32();
      const b = nextUint32();
      const c = nextUint32();
      const d = nextUint32();
      const byte = (word: number, shift: number): string => hexByte[(word >>> shift) & 0xff] ?? '00';
      return (
        `${byte(a, 24)}${byte(a, 16)}${byte(a, 8)}${byte(a, 0)}-${byte(b, 24)}${byte(b, 16)}-` +
        `${byte((b & 0x0fff) | 0x4000, 8)}${byte(b, 0)}-${byte((c & 0x3fffffff) | 0x80000000, 24)}${byte(c, 16)}-` +
        `${byte(c, 8)}${byte(c, 0)}${byte(d, 24)}${byte(d, 16)}${byte(d, 8)}${byte(d, 0)}`
      );
    },
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i -= 1) {
        const j = int(0, i);
        const swap = items[i] as T;
        items[i] = items[j] as T;
        items[j] = swap;
      }
      return items;
    },
    digits: (count) => {
      let out = '';
      for (let i = 0; i < count; i += 1) out += String(int(0, 9));
      return out;
    },
  };
}
