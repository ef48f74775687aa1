import type { GraphRoute } from '../http/graphRoute.js';

const verbs: Readonly<Record<string, { readonly item: readonly string[]; readonly collection: readonly string[] }>> = {
  GET: { item: ['get', 'read'], collection: ['list', 'read', 'get'] },
  POST: { item: ['create', 'add'], collection: ['create', 'add'] },
  PATCH: { item: ['update'], collection: ['update'] },
  PUT: { item: ['update', 'replace'], collection: ['update', 'replace'] },
  DELETE: { item: ['delete', 'remove'], collection: ['delete', 'remove'] },
};

const cache = new WeakMap<GraphRoute, ReadonlySet<string>>();

/**
 * The lower-case names a fault's `operations` can use for a route: `{noun}.{verb}` where the noun is the last literal
 * segment (`users/{userId}/authentication/phoneMethods` → `phonemethods.create`), the route's journal operation,
 * and `METHOD pattern`. The `$batch` envelope is `batch`.
 */
export function operationNames(route: GraphRoute): ReadonlySet<string> {
  const known = cache.get(route);
  if (known !== undefined) return known;
  const names = new Set<string>();
  const parts = route.pattern.split('/');
  if (route.pattern === '$batch') {
    names.add('batch');
  } else {
    const literals = parts.filter((part) => !part.startsWith('{') && part !== '$ref');
    const noun = (literals.at(-1) ?? route.pattern).toLowerCase();
    const endsWithParameter = (parts.at(-1) ?? '').startsWith('{');
    const table = verbs[route.method];
    for (const verb of (endsWithParameter ? table?.item : table?.collection) ?? []) names.add(`${noun}.${verb}`);
    if (route.operation !== undefined) names.add(route.operation.toLowerCase());
  }
  names.add(`${route.method} ${route.pattern}`.toLowerCase());
  cache.set(route, names);
  return names;
}
