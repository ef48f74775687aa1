import { describe, expect, it } from '@jest/globals';
import type { GraphRoute } from '../../sandbox/http/graphRoute.js';
import { isGraphPhoneNumber } from '../../sandbox/tenant/isGraphPhoneNumber.js';
import { compileRoutes } from '../../sandbox/http/compileRoutes.js';
import { skipToken } from '../../sandbox/http/skipToken.js';

const route = (method: GraphRoute['method'], pattern: string, versions: GraphRoute['versions'] = ['v1.0', 'beta']): GraphRoute => ({
  method,
  pattern,
  operation: `${method} ${pattern}`,
  versions,
  permissions: [],
  handle: () => ({ status: 200 }),
});

describe('compileRoutes', () => {
  const table = compileRoutes([
    route('GET', 'users'),
    route('GET', 'users/{userId}'),
    route('GET', 'users/delta'),
    route('GET', 'users/{userId}/authentication/phoneMethods'),
    route('POST', 'users/{userId}/authentication/phoneMethods'),
    route('PATCH', 'users/{userId}/authentication/requirements', ['beta']),
  ]);

  it('matches case-insensitively and binds parameters', () => {
    const match = table.match('GET', 'v1.0', ['Users', 'a@b.com', 'Authentication', 'PHONEMETHODS']);
    expect(match).toMatchObject({ kind: 'match', route: { pattern: 'users/{userId}/authentication/phoneMethods' }, params: { userId: 'a@b.com' } });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(table.match('GET', 'v1.0', ['users', 'delta'])).toMatchObject({ kind: 'match', route: { pattern: 'users/delta' } });
    expect(table.match('GET', 'v1.0', ['users', 'someone'])).toMatchObject({ kind: 'match', route: { pattern: 'users/{userId}' } });
  });

  it('names the first unknown segment, and keeps beta-only routes out of v1.0', () => {
    expect(table.match('GET', 'v1.0', ['groups', 'x'])).toEqual({ kind: 'unknownSegment', segment: 'groups' });
    expect(table.match('PATCH', 'v1.0', ['users', 'x', 'authentication', 'requirements'])).toEqual({ kind: 'unknownSegment', segment: 'requirements' });
    expect(table.match('PATCH', 'beta', ['users', 'x', 'authentication', 'requirements'])).toMatchObject({ kind: 'match' });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(table.match('DELETE', 'v1.0', ['users', 'x', 'authentication', 'phoneMethods'])).toEqual({ kind: 'methodNotAllowed' });
  });
});

describe('isGraphPhoneNumber', () => {
  it.each(['+1 5555551234', '+1 5555551234x123', '+46 701234567', '+358 412345678'])('accepts %s', (text) => {
    expect(isGraphPhoneNumber(text)).toBe(true);
  });
  it.each(['+46701234567', '+46 70 123 45 67', '070-123 45 67', '+46 0701234567x', '+0 701234567', '+46 70123456789012345', '46 701234567', ''])('rejects %s', (text) => {
    expect(isGraphPhoneNumber(text)).toBe(false);
  });
});

describe('skipToken', () => {
  it('round-trips an offset for its own collection only', () => {
    const token = skipToken.encode('users', 999);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(skipToken.decode(token, 'users', 2500)).toBe(999);
    expect(() => skipToken.decode(token, 'groups/x/members', 2500)).toThrow('The specified page token value has expired');
    expect(() => skipToken.decode(token, 'users', 500)).toThrow('expired');
    expect(() => skipToken.decode('%%%', 'users', 2500)).toThrow('expired');
  });
});
