/** The chart's top and tick step: a step of 1, 2 or 5 times a power of ten (at least 1), about a quarter of `value`; the top is the first multiple of it at or above `value`. */
export function chartScale(value: number): { top: number; step: number } {
  const raw = Math.max(1, value / 4);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? 10 * power;
  return { top: step * Math.max(1, Math.ceil(value / step)), step };
}
