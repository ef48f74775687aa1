import type { GraphRoute, GraphVersion } from './graphRoute.js';

export type RouteMatch =
  | { readonly kind: 'match'; readonly route: GraphRoute; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'methodNotAllowed' }
  | { readonly kind: 'unknownSegment'; readonly segment: string };

interface CompiledRoute {
  readonly route: GraphRoute;
  /** Lower-case literal, or null for a `{parameter}`. */
  readonly literals: readonly (string | null)[];
  readonly names: readonly (string | null)[];
}

export interface RouteTable {
  match(method: string, version: GraphVersion, segments: readonly string[]): RouteMatch;
}

/**
 * Compiles route patterns once. Segments match case-insensitively, as Graph's do; a literal segment wins over a
 * parameter (`users/delta` before `users/{id}`). When nothing matches, the first segment no pattern knows is
 * reported, which is how Graph words "Resource not found for the segment '…'".
 */
export function compileRoutes(routes: readonly GraphRoute[]): RouteTable {
  const compiled: CompiledRoute[] = routes.map((route) => {
    const parts = route.pattern.split('/');
    return {
      route,
      literals: parts.map((part) => (part.startsWith('{') ? null : part.toLowerCase())),
      names: parts.map((part) => (part.startsWith('{') ? part.slice(1, -1) : null)),
    };
  });

  const matchedPrefix = (candidate: CompiledRoute, lowered: readonly string[]): number => {
    let length = 0;
    while (length < lowered.length && length < candidate.literals.length) {
      const literal = candidate.literals[length];
      if (literal !== null && literal !== lowered[length]) break;
      length += 1;
    }
    return length;
  };

  const specificity = (candidate: CompiledRoute): string => candidate.literals.map((literal) => (literal === null ? '0' : '1')).join('');

  return {
    match: (method, version, segments) => {
      const lowered = segments.map((segment) => segment.toLowerCase());
      const inVersion = compiled.filter((candidate) => candidate.route.versions.includes(version));
      const full = inVersion
        .filter((candidate) => candidate.literals.length === lowered.length && matchedPrefix(candidate, lowered) === lowered.length)
        .sort((a, b) => specificity(b).localeCompare(specificity(a)));
      if (full.length > 0) {
        const best = specificity(full[0] as CompiledRoute);
        const chosen = full.find((candidate) => specificity(candidate) === best && candidate.route.method === method);
        if (chosen === undefined) return { kind: 'methodNotAllowed' };
        const params: Record<string, string> = {};
        chosen.names.forEach((name, index) => {
          if (name !== null) params[name] = segments[index] ?? '';
        });
        return { kind: 'match', route: chosen.route, params };
      }
      const longest = inVersion.reduce((best, candidate) => Math.max(best, matchedPrefix(candidate, lowered)), 0);
      return { kind: 'unknownSegment', segment: segments[Math.min(longest, segments.length - 1)] ?? '' };
    },
  };
}
