import { describe, expect, it } from '@jest/globals';
import { checkJournalEntries, type JournalContext, type WriteWitness } from '../../rehearsal/checkJournal.js';
import type { JournalEntry } from '../../sandbox/stats/journal.js';

const user = '11111111-1111-4111-8111-111111111111';
const guest = '22222222-2222-4222-8222-222222222222';
const breakGlass = '33333333-3333-4333-8333-333333333333';
const admin = '44444444-4444-4444-8444-444444444444';
const prGroup = '55555555-5555-4555-8555-555555555555';
const campaignGroup = '66666666-6666-4666-8666-666666666666';

const context: JournalContext = {
  breakGlassIds: new Set([breakGlass]),
  excludedIds: new Set([guest, breakGlass]),
  globalAdminIds: new Set([admin]),
  phishingResistantGroupId: prGroup,
  smsDelivery: 'microsoft',
  smsRetirementDate: '2027-02-01',
  smsRetirementDateAdmins: '2027-07-01',
};

let seq = 0;
function entry(operation: string, userId: string, detail: Record<string, unknown> = {}, status = 201): JournalEntry {
  seq += 1;
  return { seq, at: '2026-12-01T10:00:00.000Z', method: 'POST', path: `/v1.0/${operation}`, userId, operation, status, requestId: `r-${seq}`, detail };
}

/** A journal and what the rehearsal witnessed at each of its writes. */
function journal(...writes: readonly [JournalEntry, WriteWitness?][]) {
  const witnesses = new Map<number, WriteWitness>();
  for (const [written, witness] of writes) if (witness !== undefined) witnesses.set(written.seq, witness);
  return { entries: writes.map(([written]) => written), witnesses };
}

const before = (hadPasskey = false): WriteWitness => ({ tenantAt: '2027-01-31T01:00:00.000Z', hadPasskey });
const onTheDate = (hadPasskey = false): WriteWitness => ({ tenantAt: '2027-02-01T01:00:00.000Z', hadPasskey });
const check = (built: ReturnType<typeof journal>, over: Partial<JournalContext> = {}) => checkJournalEntries(built.entries, built.witnesses, { ...context, ...over });

describe('the rehearsal journal checks', () => {
  it('a clean journal passes every check', () => {
    const result = check(journal(
      [entry('phoneMethods.create', user, { phoneType: 'mobile' }), before()],
      [entry('groups.addMember', user, { groupId: campaignGroup }), before()],
      [entry('groups.addMember', user, { groupId: prGroup }), onTheDate(true)],
      [entry('temporaryAccessPassMethods.create', user), before()],
    ));
    expect(result).toMatchObject({ breakGlassWrites: 0, phishingResistantWithoutPasskey: [], passForExcluded: [], smsAfterRetirement: [], unwitnessed: 0, writes: 4, failedWrites: 0 });
  });

  it('fails on a user put in the phishing-resistant group while holding no passkey (a refused write does not count)', () => {
    expect(check(journal([entry('groups.addMember', user, { groupId: prGroup }), before(false)])).phishingResistantWithoutPasskey).toEqual([user]);
    expect(check(journal([entry('groups.addMember', user, { groupId: prGroup.toUpperCase() }), before(false)])).phishingResistantWithoutPasskey).toEqual([user]);
    expect(check(journal([entry('groups.addMember', user, { groupId: prGroup }, 400), before(false)])).phishingResistantWithoutPasskey).toEqual([]);
    expect(check(journal([entry('groups.addMember', user, { groupId: campaignGroup }), before(false)])).phishingResistantWithoutPasskey).toEqual([]);
  });

  it('counts the same write landing twice as a duplicate, but not a pass issued again after the last could no longer sign in', () => {
    const tap = (detail: Record<string, unknown>) => entry('temporaryAccessPassMethods.create', user, { lifetimeInMinutes: 60, isUsableOnce: false, ...detail });
    const reissued = check(journal(
      [tap({ replaced: false, replacedUsable: false }), before()],
      [tap({ replaced: true, replacedUsable: false }), before()],
      [tap({ replaced: true, replacedUsable: false }), before()],
    ));
    expect({ duplicateWrites: reissued.duplicateWrites, reissuedPasses: reissued.reissuedPasses }).toEqual({ duplicateWrites: 0, reissuedPasses: 2 });
    // a pass replacing one that still worked, twice with the same settings: the same write twice
    const whileUsable = check(journal([tap({ replaced: true, replacedUsable: true }), before()], [tap({ replaced: true, replacedUsable: true }), before()]));
    expect({ duplicateWrites: whileUsable.duplicateWrites, reissuedPasses: whileUsable.reissuedPasses }).toEqual({ duplicateWrites: 1, reissuedPasses: 0 });
    const twice = check(journal([entry('groups.addMember', user, { groupId: campaignGroup }), before()], [entry('groups.addMember', user, { groupId: campaignGroup }), before()]));
    expect(twice.duplicateWrites).toBe(1);
    // a refused write is not a write that landed
    expect(check(journal([entry('groups.addMember', user, { groupId: campaignGroup }), before()], [entry('groups.addMember', user, { groupId: campaignGroup }, 400), before()])).duplicateWrites).toBe(0);
  });

  it('fails on a write to a break-glass account, whatever its outcome', () => {
    expect(check(journal([entry('requirements.update', breakGlass, {}, 403), before()])).breakGlassWrites).toBe(1);
  });

  it('fails on a Temporary Access Pass for an excluded user', () => {
    expect(check(journal([entry('temporaryAccessPassMethods.create', guest), before()])).passForExcluded).toEqual([guest]);
    expect(check(journal([entry('temporaryAccessPassMethods.create', breakGlass), before()])).passForExcluded).toEqual([breakGlass]);
    expect(check(journal([entry('temporaryAccessPassMethods.create', guest, {}, 400), before()])).passForExcluded).toEqual([]);
  });

  it('fails on an SMS pre-registration on or after the date with Microsoft delivery; the admins keep their own date; customerManaged may go on', () => {
    expect(check(journal([entry('phoneMethods.create', user, { phoneType: 'mobile' }), onTheDate()])).smsAfterRetirement).toEqual([user]);
    expect(check(journal([entry('phoneMethods.create', user, { phoneType: 'mobile' }), before()])).smsAfterRetirement).toEqual([]);
    expect(check(journal([entry('phoneMethods.create', admin, { phoneType: 'mobile' }), onTheDate()])).smsAfterRetirement).toEqual([]);
    expect(check(journal([entry('phoneMethods.create', user, { phoneType: 'mobile' }), onTheDate()]), { smsDelivery: 'customerManaged' }).smsAfterRetirement).toEqual([]);
    // a write the rehearsal did not see happen cannot be placed before the date: it fails the check
    const unseen = check(journal([entry('phoneMethods.create', user, { phoneType: 'mobile' })]));
    expect({ flagged: unseen.smsAfterRetirement, unwitnessed: unseen.unwitnessed }).toEqual({ flagged: [user], unwitnessed: 1 });
  });
});
