import type { RosterUser } from '../shared/core/rosterUser.js';
import type { TenantUserFacts } from '../sandbox/admin/tenantUsers.js';
import type { ManifestUser } from '../sandbox/tenant/tenantModel.js';
import { excludedKinds } from './expectedStanding.js';

/** A claim of the roster that Graph does not bear out, or an excluded user Graph shows touched. */
export interface OutcomeMismatch {
  readonly upn: string;
  /** What the roster records (or, for an excluded user, what must hold). */
  readonly claim: string;
  /** What the tenant shows instead. */
  readonly graph: string;
}

/**
 * The honest outcome check: every step the roster records as done must be so in the tenant, read from the sandbox's
 * own state (methods, per-user MFA state, group membership), and every user the settings exclude must be untouched
 * there. The roster's word is the thing checked, never the evidence.
 */
export function checkOutcome(roster: readonly RosterUser[], tenant: readonly TenantUserFacts[], manifest: readonly ManifestUser[]): OutcomeMismatch[] {
  const facts = new Map(tenant.map((user) => [user.id.toLowerCase(), user]));
  const mismatches: OutcomeMismatch[] = [];
  for (const user of roster) {
    const progress = user.progress;
    if (progress.state === 'new' || progress.state === 'announced' || progress.state === 'rolledBack') continue;
    const upn = user.directory.userPrincipalName;
    const graph = facts.get(user.directory.id.toLowerCase());
    if (graph === undefined) {
      mismatches.push({ upn, claim: `in the journey (${progress.state})`, graph: 'no such user' });
      continue;
    }
    const { steps, registration } = progress.journey;
    const check = (claimed: boolean, claim: string, holds: boolean, shown: string) => {
      if (claimed && !holds) mismatches.push({ upn, claim, graph: shown });
    };
    const mfaRequired = steps.enforceMfa?.via === 'mfaGroup' ? graph.groups.mfaRequired : graph.perUserMfaState !== 'disabled';
    check(steps.enforceMfa !== undefined, 'MFA enforced', mfaRequired, steps.enforceMfa?.via === 'mfaGroup' ? 'not in the MFA group' : `per-user MFA ${graph.perUserMfaState}`);
    check(steps.phoneMethod !== undefined, 'phone method registered', graph.methods.includes('mobile'), 'no mobile method');
    check(steps.joinCampaign !== undefined, 'in the campaign group', graph.groups.campaign, 'not a member');
    check(steps.joinPhishingResistant !== undefined, 'in the phishing-resistant group', graph.groups.phishingResistant, 'not a member');
    check(steps.joinPhoneRetired !== undefined, 'in the phone-retired group', graph.groups.phoneRetired, 'not a member');
    const method = registration?.method === 'authenticator' ? 'microsoftAuthenticator' : 'fido2';
    check(registration !== null, `${registration?.method ?? 'target method'} registered`, graph.methods.includes(method), `methods: ${graph.methods.join(', ') || 'none'}`);
  }
  const kinds = new Map(manifest.map((user) => [user.id.toLowerCase(), user.category]));
  for (const user of tenant) {
    const kind = kinds.get(user.id.toLowerCase());
    if (kind === undefined || !excludedKinds.includes(kind)) continue;
    const joined = (Object.entries(user.groups) as [string, boolean][]).filter(([, member]) => member).map(([group]) => group);
    if (joined.length > 0) mismatches.push({ upn: user.userPrincipalName, claim: `excluded (${kind}): no journey group`, graph: `member of ${joined.join(', ')}` });
    if (user.temporaryAccessPass) mismatches.push({ upn: user.userPrincipalName, claim: `excluded (${kind}): no pass`, graph: 'a Temporary Access Pass is issued' });
  }
  return mismatches;
}
