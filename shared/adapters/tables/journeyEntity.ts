import { z } from 'zod';
import { isLegacyProgress, parseLegacyProgress } from './legacyProgress.js';
import type { FailureRecord, Journey, JourneyProgress, PendingWrite, RollbackRecord } from '../../core/journey/journeyTypes.js';

/**
 * The progress half of a roster row as Table Storage holds it: `state`, the notice fields of an announced user, and
 * the journey of a user in it as JSON properties (`journey`, `pending`, `failure`, `rollback`). Parsed once, here:
 * the schemas below are checked against the core's types at compile time, so the two cannot drift apart.
 */

const iso = z.string().min(1);
const nullableIso = iso.nullable();
const perUserMfaState = z.enum(['disabled', 'enabled', 'enforced']);
const stepNames = ['phoneMethod', 'enforceMfa', 'joinCampaign', 'joinPhishingResistant', 'joinPhoneRetired'] as const;
const stepBase = { waveId: z.string().min(1), at: iso, wrote: z.boolean() };
const groupStep = z.object({ ...stepBase, groupId: z.string().min(1) });

const journeySchema = z.object({
  enteredWaveId: z.string().min(1),
  enteredAt: iso,
  announcedAt: nullableIso,
  enforceFrom: nullableIso,
  entryCompleteAt: nullableIso,
  steps: z.object({
    phoneMethod: z.object({ ...stepBase, action: z.enum(['create', 'update']) }).optional(),
    enforceMfa: z.object({ ...stepBase, via: z.enum(['perUserMfa', 'mfaGroup']), previousMfaState: perUserMfaState.nullable(), groupId: z.string().min(1).optional() }).optional(),
    joinCampaign: groupStep.optional(),
    joinPhishingResistant: groupStep.optional(),
    joinPhoneRetired: groupStep.optional(),
  }),
  phoneConflict: z.boolean(),
  registration: z
    .object({
      method: z.enum(['passkey', 'authenticator']),
      seenAt: iso,
      registeredAt: nullableIso,
      passkeyType: z.enum(['deviceBound', 'synced', 'unknown']).nullable(),
      hadBefore: z.boolean(),
    })
    .nullable(),
  lastCheckedAt: nullableIso,
  methods: z.object({ phone: z.boolean(), passkey: z.boolean(), authenticator: z.boolean(), other: z.boolean() }).nullable(),
  mfaSeenAt: nullableIso,
  attempts: z.number().int().min(0),
});

const graphWriteSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('createMobileMethod'), graphNumber: z.string().min(1) }),
  z.object({ kind: z.literal('updateMobileMethod'), graphNumber: z.string().min(1) }),
  z.object({ kind: z.literal('setPerUserMfaState'), state: z.enum(['enabled', 'enforced']) }),
  z.object({ kind: z.literal('addGroupMember'), groupId: z.string().min(1) }),
]);

const pendingSchema = z.object({ step: z.enum(stepNames), waveId: z.string().min(1), since: iso, write: graphWriteSchema, previousMfaState: perUserMfaState.nullable() });
const failureSchema = z.object({ step: z.enum([...stepNames, 'read']), waveId: z.string().min(1), at: iso, errorCode: z.string().min(1), requestId: z.string().nullable() });
const rollbackSchema = z.object({ rollbackWaveId: z.string().min(1), targetWaveId: z.string().min(1), at: iso });

/** A JSON property, parsed and then checked; a property that is not JSON names itself. */
function json<T extends z.ZodType>(schema: T, what: string) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected ${what} as JSON` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const journey = json(journeySchema, 'the journey');
export const progressSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('new') }),
  z.object({ state: z.literal('announced'), waveId: z.string().min(1), announcedAt: iso, enforceFrom: iso.optional() }),
  z.object({ state: z.literal('inFlight'), journey, pending: json(pendingSchema, 'the write-ahead record') }),
  z.object({ state: z.literal('active'), journey }),
  z.object({ state: z.literal('failed'), journey, failure: json(failureSchema, 'the failure') }),
  z.object({ state: z.literal('parked'), journey, failure: json(failureSchema, 'the failure') }),
  z.object({ state: z.literal('rolledBack'), journey, rollback: json(rollbackSchema, 'the rollback') }),
]);

/**
 * The progress a row holds (`state` absent: a user the refresh wrote and no night has attended yet). A row in the
 * shape the rollout wrote before the journey is read as journey progress (`legacyProgress.ts`); it is rewritten in
 * the new shape the next time the user's progress is written.
 */
export function parseProgress(entity: Readonly<Record<string, unknown>>, strategy: 'perUserMfa' | 'conditionalAccessGroup' | null = null): { success: true; data: JourneyProgress } | { success: false; error: z.ZodError } {
  if (isLegacyProgress(entity)) return parseLegacyProgress(entity, strategy);
  return progressSchema.safeParse({ ...entity, state: entity['state'] ?? 'new' });
}

/** The properties of a progress: the journey records as JSON, nothing of a previous state left behind (the row is replaced). */
export function toProgressProperties(progress: JourneyProgress): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(progress)) {
    if (value === null || value === undefined) continue;
    properties[key] = typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return properties;
}

// The schemas and the core's types describe one shape: each must be assignable to the other, or this does not compile.
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const shapesAgree: [
  SameShape<z.output<typeof journeySchema>, Journey>,
  SameShape<z.output<typeof pendingSchema>, PendingWrite>,
  SameShape<z.output<typeof failureSchema>, FailureRecord>,
  SameShape<z.output<typeof rollbackSchema>, RollbackRecord>,
  SameShape<z.output<typeof progressSchema>, JourneyProgress>,
] = [true, true, true, true, true];
void shapesAgree;
