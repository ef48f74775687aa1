import { z } from 'zod';
import type { Journey, JourneyProgress, StepsDone } from '../../core/journey/journeyTypes.js';

/**
 * Roster rows written by the rollout before the journey (release 0.x: states `enforced`, and `inFlight`, `failed`,
 * `parked`, `rolledBack` with flat fields) read as journey progress, so an upgrade in the middle of a rollout loses
 * nobody's record. What the old row knew carries over as steps done by the wave it names: the mobile method it
 * created, MFA required (per-user with the state before it, or the MFA group), so a rollback of that wave still
 * undoes exactly them. What it did not know stays unknown: no registration of the target method (the next check
 * looks), and a write the old run left in flight becomes a failed attempt (RUN_INTERRUPTED) that the next night
 * retries after reading Graph (a step it finds done is then recorded as found, not written).
 */
const iso = z.string().min(1);
const state = z.enum(['disabled', 'enabled', 'enforced']).nullable().optional().transform((value) => value ?? null);
const created = z.boolean().optional().transform((value) => value ?? false);
const requestId = z.string().nullable().optional().transform((value) => value ?? null);
const announcedAt = iso.nullable().optional().transform((value) => value ?? null);
const enforceFrom = iso.optional().transform((value) => value ?? null);

const legacySchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('enforced'), waveId: iso, enforcedAt: iso, previousMfaState: state, phoneMethodCreated: created, alreadyDone: z.boolean(), phoneConflict: z.boolean().optional().transform((value) => value ?? false) }),
  z.object({ state: z.literal('inFlight'), waveId: iso, step: z.enum(['phoneMethod', 'enforce']), since: iso, attempts: z.number().int().min(0), announcedAt, enforceFrom, intent: z.string().min(1) }),
  z.object({ state: z.literal('failed'), waveId: iso, failedAt: iso, attempts: z.number().int().min(0), errorCode: iso, requestId, announcedAt, enforceFrom, phoneMethodCreated: created }),
  z.object({ state: z.literal('parked'), waveId: iso, parkedAt: iso, attempts: z.number().int().min(0), errorCode: iso, requestId, phoneMethodCreated: created }),
  z.object({ state: z.literal('rolledBack'), waveId: iso, rolledBackAt: iso, rollbackWaveId: iso, phoneMethodCreated: created }),
]);

/** Whether a row holds progress in the pre-journey shape (no `journey` property, a state the old rollout wrote). */
export function isLegacyProgress(entity: Readonly<Record<string, unknown>>): boolean {
  return entity['journey'] === undefined && ['enforced', 'inFlight', 'failed', 'parked', 'rolledBack'].includes(String(entity['state']));
}

export function parseLegacyProgress(entity: Readonly<Record<string, unknown>>, strategy: 'perUserMfa' | 'conditionalAccessGroup' | null): { success: true; data: JourneyProgress } | { success: false; error: z.ZodError } {
  const parsed = legacySchema.safeParse(entity);
  if (!parsed.success) return parsed;
  const old = parsed.data;
  const journey = (waveId: string, at: string, steps: StepsDone, fields: Partial<Journey> = {}): Journey => ({
    enteredWaveId: waveId, enteredAt: at, announcedAt: null, enforceFrom: null, entryCompleteAt: null, steps, phoneConflict: false,
    registration: null, lastCheckedAt: null, methods: null, mfaSeenAt: null, attempts: 0, ...fields,
  });
  const phone = (waveId: string, at: string, made: boolean): StepsDone => (made ? { phoneMethod: { waveId, at, wrote: true, action: 'create' } } : {});
  switch (old.state) {
    case 'enforced': {
      // the old row kept no strategy: a recorded per-user state means per-user MFA, none the MFA group
      const via = old.previousMfaState !== null || strategy === 'perUserMfa' ? 'perUserMfa' : 'mfaGroup';
      const steps: StepsDone = {
        ...phone(old.waveId, old.enforcedAt, old.phoneMethodCreated),
        enforceMfa: { waveId: old.waveId, at: old.enforcedAt, wrote: !old.alreadyDone, via, previousMfaState: via === 'perUserMfa' ? (old.previousMfaState ?? 'disabled') : null },
      };
      return { success: true, data: { state: 'active', journey: journey(old.waveId, old.enforcedAt, steps, { entryCompleteAt: old.enforcedAt, phoneConflict: old.phoneConflict }) } };
    }
    case 'inFlight':
      return {
        success: true,
        data: {
          state: 'failed',
          journey: journey(old.waveId, old.since, {}, { announcedAt: old.announcedAt, enforceFrom: old.enforceFrom, attempts: old.attempts }),
          failure: { step: old.step === 'enforce' ? 'enforceMfa' : 'phoneMethod', waveId: old.waveId, at: old.since, errorCode: 'RUN_INTERRUPTED', requestId: null },
        },
      };
    case 'failed':
    case 'parked': {
      const at = old.state === 'failed' ? old.failedAt : old.parkedAt;
      const fields = old.state === 'failed' ? { announcedAt: old.announcedAt, enforceFrom: old.enforceFrom } : {};
      return {
        success: true,
        data: {
          state: old.state,
          journey: journey(old.waveId, at, phone(old.waveId, at, old.phoneMethodCreated), { ...fields, attempts: old.attempts }),
          failure: { step: old.phoneMethodCreated ? 'enforceMfa' : 'read', waveId: old.waveId, at, errorCode: old.errorCode, requestId: old.requestId },
        },
      };
    }
    case 'rolledBack':
      return {
        success: true,
        data: {
          state: 'rolledBack',
          journey: journey(old.waveId, old.rolledBackAt, phone(old.waveId, old.rolledBackAt, old.phoneMethodCreated)),
          rollback: { rollbackWaveId: old.rollbackWaveId, targetWaveId: old.waveId, at: old.rolledBackAt },
        },
      };
  }
}
