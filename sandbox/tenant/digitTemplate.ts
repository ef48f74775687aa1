/**
 * Reuses a formatted phone number as a template for another number with the same shape: the last
 * `digits.length` digits of `formatted` are replaced by `digits`, in order (`+46 70 123 45 67` with
 * `701112233` gives `+46 70 111 22 33`). Formatting through libphonenumber-js once per shape instead of once
 * per number keeps generating 100,000 users fast.
 */
export function digitTemplate(formatted: string, digits: string): string {
  const out = formatted.split('');
  let next = digits.length - 1;
  for (let i = out.length - 1; i >= 0 && next >= 0; i -= 1) {
    const ch = out[i] ?? '';
    if (ch >= '0' && ch <= '9') {
      out[i] = digits.charAt(next);
      next -= 1;
    }
  }
  return out.join('');
}
