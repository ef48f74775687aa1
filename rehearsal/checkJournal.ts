import type { Config } from '../shared/config/configSchema.js';
import type { SandboxHandle } from '../sandbox/startSandbox.js';
import type { JournalEntry, JournalView } from '../sandbox/stats/journal.js';
import type { TenantState } from '../sandbox/tenant/tenantState.js';
import { excludedKinds } from './expectedStanding.js';

/** The Global Administrator role template (docs/graph-behaviour.md#directory-roles): its holders may have a later SMS date. */
const globalAdministrator = '62e90394-69f5-4237-9190-012177145e10';

/** What the tenant looked like at the instant a write was journaled (the journal keeps real time only). */
export interface WriteWitness {
  /** The sandbox clock, ISO 8601. */
  readonly tenantAt: string;
  /** The user the write addressed held a passkey then. */
  readonly hadPasskey: boolean;
}

/** Records a witness of every write from now on; the returned map is keyed by journal `seq`. */
export function witnessWrites(journal: JournalView, tenant: TenantState): { readonly witnesses: ReadonlyMap<number, WriteWitness>; stop(): void } {
  const witnesses = new Map<number, WriteWitness>();
  const stop = journal.onWrite((entry) => {
    const hadPasskey = entry.userId !== null && tenant.otherMethods(entry.userId).some((method) => method.kind === 'fido2');
    witnesses.set(entry.seq, { tenantAt: tenant.now().toISOString(), hadPasskey });
  });
  return { witnesses, stop };
}

export interface JournalContext {
  readonly breakGlassIds: ReadonlySet<string>;
  /** Users the settings exclude (break-glass accounts, the exclusion group, service accounts, guests). */
  readonly excludedIds: ReadonlySet<string>;
  readonly globalAdminIds: ReadonlySet<string>;
  readonly phishingResistantGroupId: string | undefined;
  readonly smsDelivery: Config['smsDelivery'];
  readonly smsRetirementDate: string;
  readonly smsRetirementDateAdmins: string;
}

export interface JournalChecks {
  /** Writes addressed to a break-glass account, whatever their outcome: must be 0. */
  readonly breakGlassWrites: number;
  /** Users put in the phishing-resistant group while holding no passkey (at the write): must be empty. */
  readonly phishingResistantWithoutPasskey: readonly string[];
  /** Users the settings exclude who were given a Temporary Access Pass: must be empty. */
  readonly passForExcluded: readonly string[];
  /** Phone methods created on or after the user's SMS retirement date with Microsoft delivery: must be empty. */
  readonly smsAfterRetirement: readonly string[];
  /** Writes whose tenant-side instant the rehearsal did not witness (they then count as failing the date check). */
  readonly unwitnessed: number;
  readonly writes: number;
  readonly failedWrites: number;
  /** The same effective write landing twice for a user (e.g. two successful updates to one state). */
  readonly duplicateWrites: number;
  /**
   * Temporary Access Passes created for a user whose previous pass could no longer sign in (expired, or used once):
   * a new pass on a later night, not the same write twice. A pass replacing one that was still usable is not counted
   * here, and two such with the same settings count as a duplicate.
   */
  readonly reissuedPasses: number;
}

export interface TenantChecks {
  /** Users whose MFA is required (per-user enforced/enabled, or in the MFA group) with no strong method: must be empty. */
  readonly enforcedWithoutMethod: readonly string[];
  /** Members of the phishing-resistant group holding no passkey now: must be empty. */
  readonly phishingResistantMembersWithoutPasskey: readonly string[];
}

/** The journal's checks, pure: a journal, what was witnessed at each write, and who is who. User ids are reported as given. */
export function checkJournalEntries(entries: readonly JournalEntry[], witnesses: ReadonlyMap<number, WriteWitness>, context: JournalContext): JournalChecks {
  const seen = new Set<string>();
  let duplicateWrites = 0;
  let reissuedPasses = 0;
  let unwitnessed = 0;
  const phishingResistantWithoutPasskey = new Set<string>();
  const passForExcluded = new Set<string>();
  const smsAfterRetirement = new Set<string>();
  for (const entry of entries) {
    if (entry.status >= 400 || entry.userId === null) continue;
    const userId = entry.userId.toLowerCase();
    if (entry.operation === 'temporaryAccessPassMethods.create' && entry.detail['replaced'] === true && entry.detail['replacedUsable'] === false) {
      reissuedPasses += 1;
    } else {
      const key = `${entry.operation}|${userId}|${JSON.stringify(entry.detail)}`;
      if (seen.has(key)) duplicateWrites += 1;
      seen.add(key);
    }
    const witness = witnesses.get(entry.seq);
    if (entry.operation === 'groups.addMember' && context.phishingResistantGroupId !== undefined && String(entry.detail['groupId'] ?? '').toLowerCase() === context.phishingResistantGroupId.toLowerCase()) {
      if (witness?.hadPasskey !== true) phishingResistantWithoutPasskey.add(userId);
    }
    if (entry.operation === 'temporaryAccessPassMethods.create' && (context.excludedIds.has(userId) || context.breakGlassIds.has(userId))) passForExcluded.add(userId);
    if (entry.operation === 'phoneMethods.create' && context.smsDelivery === 'microsoft') {
      const date = context.globalAdminIds.has(userId) ? context.smsRetirementDateAdmins : context.smsRetirementDate;
      if (witness === undefined) unwitnessed += 1;
      if (witness === undefined || witness.tenantAt.slice(0, 10) >= date) smsAfterRetirement.add(userId);
    }
  }
  return {
    breakGlassWrites: entries.filter((entry) => entry.userId !== null && context.breakGlassIds.has(entry.userId.toLowerCase())).length,
    phishingResistantWithoutPasskey: [...phishingResistantWithoutPasskey],
    passForExcluded: [...passForExcluded],
    smsAfterRetirement: [...smsAfterRetirement],
    unwitnessed,
    writes: entries.length,
    failedWrites: entries.filter((entry) => entry.status >= 400).length,
    duplicateWrites,
    reissuedPasses,
  };
}

/** Who is who in the sandbox tenant, for checkJournalEntries. */
export function journalContext(sandbox: SandboxHandle, config: Config): JournalContext {
  const lower = (ids: readonly string[]) => new Set(ids.map((id) => id.toLowerCase()));
  return {
    breakGlassIds: lower(sandbox.manifest.breakGlass.map((account) => account.id)),
    excludedIds: lower(sandbox.manifest.users.filter((user) => excludedKinds.includes(user.category)).map((user) => user.id)),
    globalAdminIds: lower(sandbox.state.users.filter((user) => sandbox.state.userRoles(user.id).includes(globalAdministrator)).map((user) => user.id)),
    phishingResistantGroupId: config.phishingResistantGroupId,
    smsDelivery: config.smsDelivery,
    smsRetirementDate: config.smsRetirementDate,
    smsRetirementDateAdmins: config.smsRetirementDateAdmins,
  };
}

/** What the sandbox tenant holds now, checked after a rehearsal (UPNs). */
export function checkTenant(sandbox: SandboxHandle, config: Config): TenantChecks {
  const state = sandbox.state;
  const hasPasskey = (userId: string) => state.otherMethods(userId).some((method) => method.kind === 'fido2');
  const prGroup = config.phishingResistantGroupId;
  return {
    enforcedWithoutMethod: state.users
      .filter((user) => {
        const required = config.strategy === 'perUserMfa' ? state.perUserMfaState(user.id) !== 'disabled' : state.isGroupMember(sandbox.manifest.groups.mfaRequired, user.id);
        return required && !state.hasStrongMethod(user.id);
      })
      .map((user) => user.userPrincipalName),
    phishingResistantMembersWithoutPasskey:
      prGroup === undefined ? [] : state.users.filter((user) => state.isGroupMember(prGroup, user.id) && !hasPasskey(user.id)).map((user) => user.userPrincipalName),
  };
}
