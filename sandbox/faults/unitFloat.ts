const mix = (value: number): number => {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/**
 * A number in [0, 1) fixed by (seed, stream, index): the n-th draw of one fault rule does not depend on how other
 * rules' draws interleave with it, so a seeded run decides the same way whatever the request concurrency.
 */
export function unitFloat(seed: number, stream: number, index: number): number {
  const h = mix(mix(mix(seed + 0x9e3779b9) + Math.imul(stream + 1, 0x632be5ab)) + Math.imul(index + 1, 0x27d4eb2f));
  return h / 4294967296;
}
