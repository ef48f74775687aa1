/** Graph's timestamp form: ISO 8601 in UTC, whole seconds (`2026-03-01T11:40:00Z`). */
export function graphDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
