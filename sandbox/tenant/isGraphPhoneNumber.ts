const graphPhonePattern = /^\+([1-9]\d{0,2}) (\d{4,14})(?:x(\d{1,10}))?$/;

/**
 * Graph's phone-method format: `+{country code} {number}` with one space and an optional `x{extension}`
 * (`+1 5555551234`, `+46 701234567x12`), at most 15 digits before the extension.
 */
export function isGraphPhoneNumber(text: string): boolean {
  const match = graphPhonePattern.exec(text);
  if (match === null) return false;
  return (match[1] ?? '').length + (match[2] ?? '').length <= 15;
}
