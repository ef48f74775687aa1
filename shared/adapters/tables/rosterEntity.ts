import { z } from 'zod';
import type { DirectoryUser, RolloutProgress, RosterUser } from '../../core/rosterUser.js';
import { RolloutError } from '../../errors/RolloutError.js';

/**
 * The roster row as Table Storage holds it: PartitionKey = rollout id, RowKey = user object id.
 * Directory fields are refreshed by merge; progress fields are written only through their ETag.
 * No phone number is ever stored: only its classification (`phone`).
 */
export interface RosterEntity {
  partitionKey: string;
  rowKey: string;
  etag?: string;
  [property: string]: unknown;
}

const isoString = z.string().min(1);
const nullableIso = isoString.nullable().optional().transform((value) => value ?? null);

const directorySchema = z.object({
  upn: z.string().min(1),
  accountEnabled: z.boolean(),
  userType: z.enum(['Member', 'Guest']),
  syncEnabled: z.enum(['true', 'false', 'null']),
  lastSyncAt: z.string().nullable().optional().transform((value) => (value === '' || value === undefined ? null : value)),
  department: z.string().nullable().optional().transform((value) => (value === '' || value === undefined ? null : value)),
  // absent on rows from before the refresh read it: unknown, not "no address"
  mail: z.string().nullable().optional().transform((value) => (value === undefined ? undefined : value === '' ? null : value)),
  phone: z.enum(['validMobile', 'missing', 'invalid', 'noCountryCode', 'landline', 'hasExtension']),
  groupIds: z.string().transform((text, ctx) => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed as string[];
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'expected a JSON array of group ids' });
    return z.NEVER;
  }),
  methods: z.enum(['unknown', 'none', 'registered']).optional().transform((value) => value ?? 'unknown'),
  methodsCheckedAt: nullableIso,
  present: z.boolean(),
});

const attempts = z.number().int().min(0);
const optionalString = z.string().nullable().optional().transform((value) => value ?? null);

const progressSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('new') }),
  z.object({ state: z.literal('announced'), waveId: z.string().min(1), announcedAt: isoString }),
  z.object({
    state: z.literal('inFlight'), waveId: z.string().min(1), step: z.enum(['phoneMethod', 'enforce']), since: isoString, attempts, announcedAt: nullableIso,
    intent: z.string().transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected the JSON write intent' });
        return z.NEVER;
      }
    }).pipe(z.object({
      previousMfaState: z.enum(['disabled', 'enabled', 'enforced']).nullable(),
      createsPhoneMethod: z.boolean(),
      phoneConflict: z.boolean(),
      alreadyDone: z.boolean(),
    })),
  }),
  z.object({
    state: z.literal('enforced'), waveId: z.string().min(1), enforcedAt: isoString, attempts,
    previousMfaState: z.enum(['disabled', 'enabled', 'enforced']).nullable().optional().transform((value) => value ?? null),
    phoneMethodCreated: z.boolean(), alreadyDone: z.boolean(), phoneConflict: z.boolean().optional().transform((value) => value ?? false),
    registration: z.enum(['unknown', 'registered', 'notRegistered']).optional().transform((value) => value ?? 'unknown'),
    verifiedAt: nullableIso,
    mfaSignInAt: nullableIso,
    mfaCheckedAt: nullableIso,
  }),
  z.object({
    state: z.literal('failed'), waveId: z.string().min(1), failedAt: isoString, attempts, errorCode: z.string().min(1), requestId: optionalString, announcedAt: nullableIso,
    phoneMethodCreated: z.boolean().optional(),
  }),
  z.object({
    state: z.literal('parked'), waveId: z.string().min(1), parkedAt: isoString, attempts, errorCode: z.string().min(1), requestId: optionalString,
    phoneMethodCreated: z.boolean().optional(),
  }),
  z.object({ state: z.literal('rolledBack'), waveId: z.string().min(1), rolledBackAt: isoString, rollbackWaveId: z.string().min(1) }),
]);

/** Parses a roster row; a corrupt or unknown-state row becomes ROW_CORRUPT naming the row and the field. */
export function fromRosterEntity(entity: RosterEntity): RosterUser {
  const directory = directorySchema.safeParse(entity);
  if (!directory.success) throw corrupt(entity, directory.error);
  const progress = progressSchema.safeParse({ ...entity, state: entity['state'] ?? 'new' });
  if (!progress.success) throw corrupt(entity, progress.error);
  const d = directory.data;
  const directoryUser: DirectoryUser = {
    id: entity.rowKey,
    userPrincipalName: d.upn,
    accountEnabled: d.accountEnabled,
    userType: d.userType,
    onPremisesSyncEnabled: d.syncEnabled === 'null' ? null : d.syncEnabled === 'true',
    onPremisesLastSyncDateTime: d.lastSyncAt,
    department: d.department,
    ...(d.mail === undefined ? {} : { mail: d.mail }),
    phone: d.phone,
    groupIds: d.groupIds,
    methods: d.methods,
    methodsCheckedAt: d.methodsCheckedAt,
  };
  return { directory: directoryUser, progress: progress.data as RolloutProgress, present: d.present };
}

/**
 * What a roster refresh merges from Graph on every night: the snapshot fields only. The methods
 * knowledge (from probes) and the progress are left as they are.
 */
export function toSnapshotProperties(user: DirectoryUser, present: boolean): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    upn: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    syncEnabled: String(user.onPremisesSyncEnabled),
    phone: user.phone,
    groupIds: JSON.stringify(user.groupIds),
    present,
  };
  // empty, not absent: a merge must clear a value that Graph no longer has
  properties['lastSyncAt'] = user.onPremisesLastSyncDateTime ?? '';
  properties['department'] = user.department ?? '';
  if (user.mail !== undefined) properties['mail'] = user.mail ?? '';
  return properties;
}

/** The whole directory half of a row (snapshot plus methods knowledge), for a full-row replace. */
export function toDirectoryProperties(user: DirectoryUser, present: boolean): Record<string, unknown> {
  const properties = toSnapshotProperties(user, present);
  properties['methods'] = user.methods;
  if (user.methodsCheckedAt !== null) properties['methodsCheckedAt'] = user.methodsCheckedAt;
  return properties;
}

/**
 * The progress half of a row. A progress change replaces the whole row (directory half as read, plus
 * these), so properties of the previous state do not linger.
 */
export function toProgressProperties(progress: RolloutProgress): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(progress)) {
    if (value === null || value === undefined) continue;
    properties[key] = typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return properties;
}

function corrupt(entity: RosterEntity, error: z.ZodError): RolloutError {
  const issue = error.issues[0];
  const field = issue === undefined ? 'unknown' : issue.path.join('.') || 'row';
  return new RolloutError('ROW_CORRUPT', `Roster row ${entity.rowKey} (partition ${entity.partitionKey}) is unreadable: field '${field}' ${issue?.message ?? 'is invalid'}`);
}
