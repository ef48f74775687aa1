import { z } from 'zod';
import type { TapRecord } from '../../core/journey/journeyTypes.js';
import type { DirectoryUser, RosterUser } from '../../core/rosterUser.js';
import { parseProgress } from './journeyEntity.js';
export { toProgressProperties } from './journeyEntity.js';
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

/** Parses a roster row; a corrupt or unknown-state row becomes ROW_CORRUPT naming the row and the field. */
export function fromRosterEntity(entity: RosterEntity): RosterUser {
  const directory = directorySchema.safeParse(entity);
  if (!directory.success) throw corrupt(entity, directory.error);
  const progress = parseProgress(entity);
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
  return { directory: directoryUser, progress: progress.data, present: d.present };
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


const tapSchema = z.object({ tapIssuedAt: isoString, tapExpiresAt: isoString, tapRunId: z.string().min(1), tapCount: z.number().int().min(1) });

/**
 * The Temporary Access Passes issued to the user (`mfa-rollout issue-tap`), kept in the row's own `tap*` fields
 * beside the progress (the roster row is not in journey form yet): when the last was issued, until when, by which
 * run, and how many so far. Never the pass. Null when none was issued; ROW_CORRUPT when the fields are broken.
 */
export function tapRecordOf(entity: RosterEntity): TapRecord | null {
  if (entity['tapIssuedAt'] === undefined) return null;
  const parsed = tapSchema.safeParse(entity);
  if (!parsed.success) throw corrupt(entity, parsed.error);
  const { tapIssuedAt, tapExpiresAt, tapRunId, tapCount } = parsed.data;
  return { issuedAt: tapIssuedAt, expiresAt: tapExpiresAt, runId: tapRunId, count: tapCount };
}

export function toTapProperties(tap: TapRecord | null): Record<string, unknown> {
  return tap === null ? {} : { tapIssuedAt: tap.issuedAt, tapExpiresAt: tap.expiresAt, tapRunId: tap.runId, tapCount: tap.count };
}

function corrupt(entity: RosterEntity, error: z.ZodError): RolloutError {
  const issue = error.issues[0];
  const field = issue === undefined ? 'unknown' : issue.path.join('.') || 'row';
  return new RolloutError('ROW_CORRUPT', `Roster row ${entity.rowKey} (partition ${entity.partitionKey}) is unreadable: field '${field}' ${issue?.message ?? 'is invalid'}`);
}
