import { z } from 'zod';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** A pass Graph created. `pass` is for the operator's eyes only: never logged, stored, mailed or reported. */
export interface CreatedPass {
  readonly pass: string;
  /** The method id (the pass's record in Graph; it holds no secret). */
  readonly methodId: string;
  readonly startsAt: string;
  readonly expiresAt: string;
  readonly lifetimeMinutes: number;
  readonly usableOnce: boolean;
  /** Graph's word on whether the user can sign in with it now (`methodUsabilityReason`), when it gives one. */
  readonly usabilityReason: string | null;
}

export interface PassRequest {
  /** Left out: the TAP policy's default lifetime. */
  readonly lifetimeMinutes?: number;
  /** Left out: as the policy says (a policy that requires one-time passes makes every pass one-time). */
  readonly usableOnce?: boolean;
}

const createdSchema = z.object({
  id: z.string().min(1),
  temporaryAccessPass: z.string().min(1),
  startDateTime: z.string().min(1),
  lifetimeInMinutes: z.number().int().positive(),
  isUsableOnce: z.boolean(),
  methodUsabilityReason: z.string().nullable().optional().transform((value) => value ?? null),
});

/**
 * Creates a Temporary Access Pass for the user (`POST …/authentication/temporaryAccessPassMethods`,
 * docs/graph-behaviour.md#temporary-access-pass). Graph returns the pass in this answer only, and a new pass
 * replaces any the user had. A lost answer is not sent again by the gateway (GRAPH_TIMEOUT), and an answer without
 * a readable pass is GRAPH_MALFORMED_RESPONSE: either way a pass may exist that nobody saw, and issuing another
 * replaces it. The expiry is the start plus the lifetime.
 */
export async function createTemporaryAccessPass(gateway: GraphGateway, userId: string, request: PassRequest = {}): Promise<CreatedPass> {
  const body: Record<string, unknown> = {};
  if (request.lifetimeMinutes !== undefined) body.lifetimeInMinutes = request.lifetimeMinutes;
  if (request.usableOnce !== undefined) body.isUsableOnce = request.usableOnce;
  const answer = await gateway.send({
    operation: 'temporaryAccessPassMethods.create',
    method: 'POST',
    version: 'v1.0',
    path: `/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods`,
    body,
    permission: graphPermissions.writeTemporaryAccessPass,
  });
  const created = readAnswer('temporaryAccessPassMethods.create', answer, createdSchema);
  const startsAt = new Date(created.startDateTime);
  return {
    pass: created.temporaryAccessPass,
    methodId: created.id,
    startsAt: startsAt.toISOString(),
    expiresAt: new Date(startsAt.getTime() + created.lifetimeInMinutes * 60_000).toISOString(),
    lifetimeMinutes: created.lifetimeInMinutes,
    usableOnce: created.isUsableOnce,
    usabilityReason: created.methodUsabilityReason,
  };
}
