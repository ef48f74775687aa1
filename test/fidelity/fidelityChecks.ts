import { expect } from '@jest/globals';
import type { GraphCall } from '../../shared/adapters/graph/graphGateway.js';
import { failureOf } from '../adapters/graph/helpers/graphCalls.js';

/** Checks that write run only where writes are allowed: on the sandbox always, on a tenant with FIDELITY_WRITES=true. */
export const writesAllowed = (process.env['FIDELITY_TENANT_URL'] ?? '') === '' || process.env['FIDELITY_WRITES'] === 'true';

export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The RolloutError a call failed with; a test failure when it answered. */
export const refusal = failureOf;

/** Graph's refusal as the fidelity checks compare it: the HTTP status and Graph's own error code. */
export async function refusedWith(promise: Promise<unknown>): Promise<{ httpStatus: number | undefined; graphCode: string | undefined }> {
  const error = await refusal(promise);
  return { httpStatus: error.httpStatus, graphCode: error.graphCode };
}

/** Asks again until `check` passes or `ms` pass: a tenant's directory is eventually consistent (docs/graph-behaviour.md#groups-and-membership). */
export async function eventually(check: () => Promise<void>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

export const get = (operation: string, path: string, permission: string, version: GraphCall['version'] = 'v1.0'): GraphCall => ({ operation, method: 'GET', version, path, permission });

/** Every answer object has these properties with values of these types (`null` allowed where listed). */
export function expectShape(value: unknown, shape: Readonly<Record<string, 'string' | 'boolean' | 'number' | 'string|null' | 'boolean|null' | 'array'>>): void {
  expect(typeof value).toBe('object');
  const record = value as Record<string, unknown>;
  for (const [key, type] of Object.entries(shape)) {
    const actual = record[key];
    const seen = Array.isArray(actual) ? 'array' : actual === null ? 'null' : typeof actual;
    expect({ key, type: type.split('|').includes(seen) ? type : seen }).toEqual({ key, type });
  }
}
