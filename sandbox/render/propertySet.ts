import { graphErrors } from '../http/graphErrors.js';

/** How to render one Graph entity type: its properties, and the ones returned when there is no `$select`. */
export interface PropertySet<T> {
  readonly typeName: string;
  readonly getters: Readonly<Record<string, (item: T, now: Date) => unknown>>;
  readonly defaults: readonly string[];
}

/** The properties a request asks for: `$select` (case-insensitive, canonical names out) or the type's default set. */
export function selectedProperties<T>(query: URLSearchParams, set: PropertySet<T>): readonly string[] {
  const raw = query.get('$select');
  if (raw === null || raw.trim() === '') return set.defaults;
  const canonical = new Map(Object.keys(set.getters).map((name) => [name.toLowerCase(), name]));
  const names: string[] = [];
  for (const part of raw.split(',')) {
    const wanted = part.trim();
    if (wanted === '') continue;
    const name = canonical.get(wanted.toLowerCase());
    if (name === undefined) throw graphErrors.unknownProperty(wanted, set.typeName);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

export function project<T>(item: T, names: readonly string[], set: PropertySet<T>, now: Date): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = set.getters[name]?.(item, now) ?? null;
  return out;
}
