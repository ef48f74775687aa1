/** What one Graph request draws from the identity quotas (docs/graph-behaviour.md#throttling). */
export interface RequestCost {
  readonly resourceUnits: number;
  /** 1 for POST/PATCH/PUT/DELETE, 0 for reads. */
  readonly writes: number;
}

const writeMethods = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Resource units as Microsoft documents them for identity and access: `GET users` 2, `GET groups/{id}/members` 3,
 * `transitiveMembers` 5, any other GET 1, a write 1 RU plus 1 write; `$select` −1, `$expand` +1, `$top` below 20 −1;
 * never less than 1.
 */
export function requestCost(method: string, pattern: string, query: URLSearchParams): RequestCost {
  const writes = writeMethods.has(method) ? 1 : 0;
  let units = 1;
  if (writes === 0) {
    if (pattern === 'users') units = 2;
    else if (pattern === 'groups/{groupId}/members') units = 3;
    else if (pattern === 'groups/{groupId}/transitiveMembers') units = 5;
  }
  if (query.has('$select')) units -= 1;
  if (query.has('$expand')) units += 1;
  const top = query.get('$top');
  if (top !== null && /^\s*\d+\s*$/.test(top) && Number(top) < 20) units -= 1;
  return { resourceUnits: Math.max(1, units), writes };
}
