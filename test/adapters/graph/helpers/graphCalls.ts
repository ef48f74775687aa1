import { expect } from '@jest/globals';
import type { GraphCall, GraphGateway } from '../../../../shared/adapters/graph/graphGateway.js';
import { isRolloutError, type RolloutError } from '../../../../shared/errors/RolloutError.js';

export const enforce = (userId: string): GraphCall => ({
  operation: 'requirements.update',
  method: 'PATCH',
  version: 'beta',
  path: `/users/${userId}/authentication/requirements`,
  body: { perUserMfaState: 'enforced' },
  permission: 'Policy.ReadWrite.AuthenticationMethod',
});
export const readUser = (userId: string): GraphCall => ({ operation: 'users.read', method: 'GET', version: 'v1.0', path: `/users/${userId}?$select=id,mobilePhone`, permission: 'User.Read.All' });
export const readOrganization: GraphCall = { operation: 'organization.read', method: 'GET', version: 'v1.0', path: '/organization', permission: 'Organization.Read.All' };

/** The RolloutError a call failed with (and a test failure when it did not fail). */
export async function failureOf(promise: Promise<unknown>): Promise<RolloutError> {
  const outcome = await promise.then(
    () => new Error('expected the call to fail'),
    (error: unknown) => error,
  );
  if (!isRolloutError(outcome)) throw outcome;
  return outcome;
}

/** Exactly one retry layer: every exchange the sandbox saw is one the gateway counted, and each is a call or a retry. */
export function expectOneRetryLayer(gateway: GraphGateway, operations: number): void {
  expect(operations).toBe(gateway.stats.attempts);
  expect(gateway.stats.attempts).toBe(gateway.stats.calls + gateway.stats.retries);
}

/** Hands out ready users no other test of the file has written to (the tenant is shared by the file). */
export function userPool(ready: () => readonly string[]): { fresh(count: number): string[]; some(count: number): string[] } {
  let next = 0;
  return {
    fresh(count) {
      const taken = ready().slice(next, next + count);
      next += count;
      if (taken.length < count) throw new Error('the test tenant has too few ready users');
      return taken;
    },
    // reads change nothing: any ready users will do
    some: (count) => ready().slice(-count),
  };
}
