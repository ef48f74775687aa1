import { describe, expect, it } from '@jest/globals';
import type { JourneyProgress } from '../../../shared/core/journey/journeyTypes.js';
import { drive, everythingAllowed, graphUser, journeySettings } from './journeyDriver.js';

const now = new Date('2026-12-10T01:00:00.000Z');
const tonight = { waveId: 'w-tonight', now };
const announced: JourneyProgress = { state: 'announced', waveId: 'w-notice', announcedAt: '2026-12-07T01:00:00.000Z', enforceFrom: '2026-12-10T01:00:00.000Z' };
const campaign = journeySettings().campaignGroupId ?? '';
const phishingResistant = journeySettings().phishingResistantGroupId ?? '';
const phoneRetired = journeySettings().phoneRetiredGroupId ?? '';
const passkey = { createdDateTime: '2026-12-09T12:00:00Z', passkeyType: 'synced' as const };

/** A user who entered on 2026-12-01 with the phone bridge and joined the campaign; `more` changes the journey. */
function entered(more: Partial<Extract<JourneyProgress, { state: 'active' }>['journey']> = {}): JourneyProgress {
  const step = { waveId: 'w-entry', at: '2026-12-01T01:00:00.000Z', wrote: true };
  return {
    state: 'active',
    journey: {
      enteredWaveId: 'w-entry', enteredAt: step.at, announcedAt: null, enforceFrom: null, entryCompleteAt: step.at, phoneConflict: false,
      steps: { phoneMethod: { ...step, action: 'create' }, enforceMfa: { ...step, via: 'perUserMfa', previousMfaState: 'disabled' }, joinCampaign: { ...step, groupId: campaign } },
      registration: null, lastCheckedAt: null, methods: null, mfaSeenAt: null, attempts: 0,
      ...more,
    },
  };
}

describe('nextJourneyCommand: entering (passkey track, SMS still delivered)', () => {
  it('a synced mobile and no method: the phone bridge, MFA required, the campaign group; then waits for a passkey', () => {
    const user = graphUser();
    const result = drive(announced, user, { ...tonight, mode: 'enter' });
    expect(user.writes).toEqual([
      { kind: 'createMobileMethod', graphNumber: '+46 701234567' },
      { kind: 'setPerUserMfaState', state: 'enforced' },
      { kind: 'addGroupMember', groupId: campaign },
    ]);
    expect(result.reason).toBe('awaitingRegistration');
    expect(result.progress).toMatchObject({ state: 'active', journey: { enteredWaveId: 'w-tonight', announcedAt: announced.state === 'announced' ? announced.announcedAt : '', entryCompleteAt: now.toISOString() } });
    const journey = result.progress.state === 'active' ? result.progress.journey : undefined;
    expect(journey?.steps).toEqual({
      phoneMethod: { waveId: 'w-tonight', at: now.toISOString(), wrote: true, action: 'create' },
      enforceMfa: { waveId: 'w-tonight', at: now.toISOString(), wrote: true, via: 'perUserMfa', previousMfaState: 'disabled' },
      joinCampaign: { waveId: 'w-tonight', at: now.toISOString(), wrote: true, groupId: campaign },
    });
    // the last look includes the night's own write: the user now has a phone
    expect(journey?.methods).toEqual({ phone: true, passkey: false, authenticator: false, other: false });
  });

  it('every write is persisted as an intent before it is made (write-ahead)', () => {
    const result = drive(announced, graphUser(), { ...tonight, mode: 'enter' });
    const writes = result.commands.filter((command) => command.kind === 'write');
    expect(writes).toHaveLength(3);
    for (const command of writes) {
      expect(command.progress.state).toBe('inFlight');
      const index = result.persisted.indexOf(command.progress);
      expect(result.persisted[index + 1]?.state).toBe('active');
    }
  });

  it('a user with Microsoft Authenticator gets no phone: MFA required, the campaign group', () => {
    const user = graphUser({ methods: { mobileNumber: null, hasAlternateMobile: false, passkeys: [], authenticators: [{ createdDateTime: null }], otherStrong: 0 } });
    const result = drive(announced, user, { ...tonight, mode: 'enter' });
    expect(user.writes.map((write) => write.kind)).toEqual(['setPerUserMfaState', 'addGroupMember']);
    expect(result.reason).toBe('awaitingRegistration');
  });

  it('no usable phone and no method: only the campaign group, and the user waits for a Temporary Access Pass', () => {
    const user = graphUser({ syncedMobile: { status: 'missing' } });
    const result = drive(announced, user, { ...tonight, mode: 'enter' });
    expect(user.writes).toEqual([{ kind: 'addGroupMember', groupId: campaign }]);
    expect(result.reason).toBe('awaitingTap');
    expect(user.perUserMfaState).toBe('disabled');
  });

  it('a passkey the user already had counts: recorded as registered before entry, no phone, no campaign nudge', () => {
    const user = graphUser({ methods: { mobileNumber: null, hasAlternateMobile: false, passkeys: [passkey], authenticators: [], otherStrong: 0 } });
    const result = drive(announced, user, { ...tonight, mode: 'enter' });
    expect(user.writes).toEqual([{ kind: 'setPerUserMfaState', state: 'enforced' }]);
    expect(result.reason).toBe('readyToAdvance');
    expect(result.progress).toMatchObject({ journey: { registration: { method: 'passkey', hadBefore: true, passkeyType: 'synced', registeredAt: passkey.createdDateTime, seenAt: now.toISOString() } } });
  });

  it('a passkey the Fido2 configuration does not allow for the user does not count, and does not make the user MFA-capable', () => {
    const user = graphUser({ syncedMobile: { status: 'missing' }, methods: { mobileNumber: null, hasAlternateMobile: false, passkeys: [passkey], authenticators: [], otherStrong: 0 } });
    const result = drive(announced, user, { ...tonight, mode: 'enter' }, { ...everythingAllowed, fido2: false });
    expect(result.progress).toMatchObject({ journey: { registration: null } });
    expect(user.writes.map((write) => write.kind)).toEqual(['addGroupMember']);
    expect(result.reason).toBe('awaitingTap');
  });

  it('on and after the retirement date (Microsoft delivery) no mobile is pre-registered: the user goes straight to the passkey track', () => {
    const user = graphUser();
    const result = drive(announced, user, { ...tonight, mode: 'enter' }, { ...everythingAllowed, phone: false, phoneBlockedBy: 'retired' });
    expect(user.writes).toEqual([{ kind: 'addGroupMember', groupId: campaign }]);
    expect(result.reason).toBe('awaitingTap');
  });

  it('an existing mobile with another number is a conflict: left as it is, recorded, and MFA still required (the user has a phone)', () => {
    const user = graphUser({ methods: { mobileNumber: '+46 709999999', hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 } });
    const result = drive(announced, user, { ...tonight, mode: 'enter' });
    expect(user.writes.map((write) => write.kind)).toEqual(['setPerUserMfaState', 'addGroupMember']);
    expect(result.progress).toMatchObject({ journey: { phoneConflict: true } });
    expect(user.methods.mobileNumber).toBe('+46 709999999');
  });

  it('with MFA_OVERWRITE_CONFLICTING_PHONE the synced number replaces it', () => {
    const user = graphUser({ methods: { mobileNumber: '+46 709999999', hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 } });
    drive(announced, user, { ...tonight, mode: 'enter', settings: journeySettings({ overwriteConflictingPhone: true }) });
    expect(user.writes[0]).toEqual({ kind: 'updateMobileMethod', graphNumber: '+46 701234567' });
  });

  it('a user already enforced is never stepped back to enabled; the step is recorded as found done', () => {
    const user = graphUser({ perUserMfaState: 'enforced', methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 } });
    const result = drive(announced, user, { ...tonight, mode: 'enter', settings: journeySettings({ perUserState: 'enabled' }) });
    expect(user.writes.map((write) => write.kind)).toEqual(['addGroupMember']);
    expect(result.progress).toMatchObject({ journey: { steps: { enforceMfa: { wrote: false, previousMfaState: 'enforced' } } } });
  });

  it('strategy conditionalAccessGroup: MFA is required by joining MFA_CA_GROUP_ID (found done when already a member)', () => {
    const caGroupId = 'ca000000-0000-4000-8000-000000000009';
    const settings = journeySettings({ strategy: 'conditionalAccessGroup', caGroupId });
    const user = graphUser();
    drive(announced, user, { ...tonight, mode: 'enter', settings });
    expect(user.writes[1]).toEqual({ kind: 'addGroupMember', groupId: caGroupId });
    const member = graphUser({ memberships: new Set([caGroupId]) });
    const result = drive(announced, member, { ...tonight, mode: 'enter', settings });
    expect(member.writes.map((write) => write.kind)).toEqual(['createMobileMethod', 'addGroupMember']);
    expect(result.progress).toMatchObject({ journey: { steps: { enforceMfa: { wrote: false, via: 'mfaGroup', groupId: caGroupId } } } });
  });

  it('campaign mode microsoftManaged: Microsoft\'s campaign is left alone, nobody joins a group', () => {
    const user = graphUser();
    drive(announced, user, { ...tonight, mode: 'enter', settings: journeySettings({ campaignMode: 'microsoftManaged' }) });
    expect(user.writes.map((write) => write.kind)).toEqual(['createMobileMethod', 'setPerUserMfaState']);
  });
});

describe('nextJourneyCommand: the phone and Authenticator tracks', () => {
  it('target phone: the bridge is the destination (no campaign), finished', () => {
    const user = graphUser();
    const result = drive(announced, user, { ...tonight, mode: 'enter', settings: journeySettings({ targetMethod: 'phone' }) });
    expect(user.writes.map((write) => write.kind)).toEqual(['createMobileMethod', 'setPerUserMfaState']);
    expect(result.reason).toBe('finished');
  });

  it.each([
    ['no synced mobile', { syncedMobile: { status: 'missing' as const } }, everythingAllowed, 'missing'],
    ['a landline', { syncedMobile: { status: 'landline' as const } }, everythingAllowed, 'landline'],
    ['SMS and voice off for the user', {}, { ...everythingAllowed, phone: false, phoneBlockedBy: 'policy' as const }, 'smsNotAllowed'],
    ['SMS retired', {}, { ...everythingAllowed, phone: false, phoneBlockedBy: 'retired' as const }, 'smsRetired'],
  ])('target phone, %s: not ready, the attempt fails with USER_NOT_READY and nothing is written', (_name, overrides, availability, reason) => {
    const user = graphUser(overrides);
    const result = drive(announced, user, { ...tonight, mode: 'enter', settings: journeySettings({ targetMethod: 'phone' }) }, availability);
    expect(user.writes).toEqual([]);
    expect(result.reason).toBe('notReady');
    expect(result.notReadyReason).toBe(reason);
    expect(result.progress).toMatchObject({ state: 'failed', failure: { errorCode: 'USER_NOT_READY', step: 'read', waveId: 'w-tonight' } });
  });

  it('target authenticator: registered means a Microsoft Authenticator method; no phishing-resistant step; off SMS', () => {
    const settings = journeySettings({ targetMethod: 'authenticator' });
    const user = graphUser({ memberships: new Set([campaign]), methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [passkey], authenticators: [{ createdDateTime: '2026-12-05T10:00:00Z' }], otherStrong: 0 } });
    const result = drive(entered(), user, { ...tonight, mode: 'advance', settings });
    expect(user.writes).toEqual([{ kind: 'addGroupMember', groupId: phoneRetired }]);
    expect(result.progress).toMatchObject({ journey: { registration: { method: 'authenticator', hadBefore: false } } });
    expect(result.reason).toBe('finished');
  });
});

describe('nextJourneyCommand: checking and advancing', () => {
  it('check: reads, records the last look and the kinds of method, writes nothing', () => {
    const user = graphUser({ methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 } });
    const result = drive(entered(), user, { ...tonight, mode: 'check' });
    expect(user.writes).toEqual([]);
    expect(result.reason).toBe('checked');
    expect(result.progress).toMatchObject({ journey: { lastCheckedAt: now.toISOString(), methods: { phone: true, passkey: false }, registration: null } });
  });

  it('check: a passkey registered since the nudge is recorded (not as one the user had before), and nothing is written on a check night', () => {
    const user = graphUser({ methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [passkey], authenticators: [], otherStrong: 0 } });
    const result = drive(entered(), user, { ...tonight, mode: 'check' });
    expect(user.writes).toEqual([]);
    expect(result.progress).toMatchObject({ journey: { registration: { method: 'passkey', hadBefore: false } } });
  });

  it('check: a sign-in with MFA after MFA was required is recorded; one before it is not', () => {
    const before = drive(entered(), graphUser({ lastMfaSignInAt: '2026-11-30T09:00:00Z' }), { ...tonight, mode: 'check' });
    expect(before.progress).toMatchObject({ journey: { mfaSeenAt: null } });
    const after = drive(entered(), graphUser({ lastMfaSignInAt: '2026-12-02T09:00:00Z' }), { ...tonight, mode: 'check' });
    expect(after.progress).toMatchObject({ journey: { mfaSeenAt: '2026-12-02T09:00:00Z' } });
  });

  it('advance: under the phishing-resistant policy, then off SMS; finished', () => {
    const user = graphUser({ memberships: new Set([campaign]), methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [passkey], authenticators: [], otherStrong: 0 } });
    const progress = entered({ registration: { method: 'passkey', seenAt: '2026-12-09T01:00:00Z', registeredAt: null, passkeyType: 'synced', hadBefore: false } });
    const result = drive(progress, user, { ...tonight, mode: 'advance' });
    expect(user.writes).toEqual([{ kind: 'addGroupMember', groupId: phishingResistant }, { kind: 'addGroupMember', groupId: phoneRetired }]);
    expect(result.reason).toBe('finished');
  });

  it('advance: the passkey is gone tonight: the registration is recorded as lost and nobody is put under the phishing-resistant policy', () => {
    const user = graphUser({ methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 } });
    const progress = entered({ registration: { method: 'passkey', seenAt: '2026-12-09T01:00:00Z', registeredAt: null, passkeyType: 'synced', hadBefore: false } });
    const result = drive(progress, user, { ...tonight, mode: 'advance' });
    expect(user.writes).toEqual([]);
    expect(result.commands.some((command) => command.kind === 'record' && command.note === 'registrationLost')).toBe(true);
    expect(result.progress).toMatchObject({ journey: { registration: null } });
  });

  it('advance: a user who came in through a Temporary Access Pass is required to do MFA once the passkey is there', () => {
    const step = { waveId: 'w-entry', at: '2026-12-01T01:00:00.000Z', wrote: true };
    const tapUser = entered({ steps: { joinCampaign: { ...step, groupId: campaign } }, registration: { method: 'passkey', seenAt: '2026-12-09T01:00:00Z', registeredAt: null, passkeyType: 'deviceBound', hadBefore: false } });
    const user = graphUser({ methods: { mobileNumber: null, hasAlternateMobile: false, passkeys: [passkey], authenticators: [], otherStrong: 0 } });
    drive(tapUser, user, { ...tonight, mode: 'advance' });
    expect(user.writes.map((write) => write.kind)).toEqual(['setPerUserMfaState', 'addGroupMember', 'addGroupMember']);
  });

  it('advance without a phishing-resistant group configured: only off SMS', () => {
    const user = graphUser({ methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [passkey], authenticators: [], otherStrong: 0 } });
    const progress = entered({ registration: { method: 'passkey', seenAt: '2026-12-09T01:00:00Z', registeredAt: null, passkeyType: 'synced', hadBefore: false } });
    drive(progress, user, { ...tonight, mode: 'advance', settings: journeySettings({ phishingResistantGroupId: undefined }) });
    expect(user.writes).toEqual([{ kind: 'addGroupMember', groupId: phoneRetired }]);
  });

  it('under the phishing-resistant policy and the passkey removed: stops and says so (the helpdesk must act)', () => {
    const step = { waveId: 'w-entry', at: '2026-12-01T01:00:00.000Z', wrote: true };
    const progress = entered({ steps: { ...(entered().state === 'active' ? {} : {}), joinPhishingResistant: { ...step, groupId: phishingResistant }, enforceMfa: { ...step, via: 'perUserMfa', previousMfaState: 'disabled' } } });
    const result = drive(progress, graphUser(), { ...tonight, mode: 'check' });
    expect(result.reason).toBe('passkeyRemoved');
  });
});

describe('nextJourneyCommand: write-ahead and reconcile', () => {
  const pendingCreate: JourneyProgress = {
    state: 'inFlight',
    journey: { ...(entered().state === 'active' ? (entered() as Extract<JourneyProgress, { state: 'active' }>).journey : ({} as never)), steps: {}, entryCompleteAt: null },
    pending: { step: 'phoneMethod', waveId: 'w-died', since: '2026-12-09T01:00:05.000Z', write: { kind: 'createMobileMethod', graphNumber: '+46 701234567' }, previousMfaState: null },
  };

  it('a run died after the write landed: read back, the step is done with the wave that wrote it, and the entry goes on', () => {
    const user = graphUser({ methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 } });
    const result = drive(pendingCreate, user, { ...tonight, mode: 'enter' });
    expect(result.commands[0]).toEqual({ kind: 'read', needs: ['methods'] });
    expect(result.commands[1]).toMatchObject({ kind: 'record', note: 'pendingLanded' });
    expect(user.writes.map((write) => write.kind)).toEqual(['setPerUserMfaState', 'addGroupMember']);
    expect(result.progress).toMatchObject({ journey: { steps: { phoneMethod: { waveId: 'w-died', wrote: true } } } });
  });

  it('a run died before the write landed: the attempt fails (RUN_INTERRUPTED, in the wave that tried), and the write is made tonight', () => {
    const user = graphUser();
    const result = drive(pendingCreate, user, { ...tonight, mode: 'enter' });
    expect(result.persisted[0]).toMatchObject({ state: 'failed', failure: { errorCode: 'RUN_INTERRUPTED', waveId: 'w-died', step: 'phoneMethod' }, journey: { attempts: 1 } });
    expect(user.writes.map((write) => write.kind)).toEqual(['createMobileMethod', 'setPerUserMfaState', 'addGroupMember']);
    expect(result.progress).toMatchObject({ journey: { steps: { phoneMethod: { waveId: 'w-tonight' } }, attempts: 0 } });
  });

  it('a write whose answer was lost tonight: read back; not landed, it is tonight\'s failed attempt and nothing more is tried tonight', () => {
    const tonightPending = { ...pendingCreate, pending: { ...(pendingCreate as Extract<JourneyProgress, { state: 'inFlight' }>).pending, waveId: 'w-tonight' } } as JourneyProgress;
    const user = graphUser();
    const result = drive(tonightPending, user, { ...tonight, mode: 'enter', lostAnswer: { errorCode: 'GRAPH_TIMEOUT', requestId: null } });
    expect(user.writes).toEqual([]);
    expect(result.reason).toBe('failed');
    expect(result.progress).toMatchObject({ state: 'failed', failure: { errorCode: 'GRAPH_TIMEOUT', waveId: 'w-tonight' } });
  });

  it('a mobile method the user had before is never claimed as the rollout\'s, so no rollback deletes it', () => {
    const user = graphUser({ methods: { mobileNumber: '+46 701234567', hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 } });
    const result = drive(announced, user, { ...tonight, mode: 'enter' });
    expect(user.writes.map((write) => write.kind)).toEqual(['setPerUserMfaState', 'addGroupMember']);
    expect(result.progress).toMatchObject({ state: 'active' });
    expect((result.progress as Extract<JourneyProgress, { state: 'active' }>).journey.steps.phoneMethod).toBeUndefined();
  });

  it('a group write is judged on memberships read live, never on the roster refresh\'s snapshot', () => {
    const progress: JourneyProgress = { ...(pendingCreate as Extract<JourneyProgress, { state: 'inFlight' }>), pending: { step: 'joinCampaign', waveId: 'w-died', since: now.toISOString(), write: { kind: 'addGroupMember', groupId: campaign }, previousMfaState: null } };
    const result = drive(progress, graphUser({ memberships: new Set([campaign]) }), { ...tonight, mode: 'enter' });
    expect(result.commands[0]).toEqual({ kind: 'read', needs: ['memberships'] });
    expect(result.commands[1]).toMatchObject({ kind: 'record', note: 'pendingLanded' });
  });

  it('a failed write: failed with its code and attempts; a user failed tonight is not tried again tonight', () => {
    const user = graphUser({ failNext: { kind: 'setPerUserMfaState', errorCode: 'GRAPH_UNAVAILABLE' } });
    const result = drive(announced, user, { ...tonight, mode: 'enter' });
    expect(result.reason).toBe('failed');
    expect(result.progress).toMatchObject({ state: 'failed', failure: { step: 'enforceMfa', errorCode: 'GRAPH_UNAVAILABLE', waveId: 'w-tonight', requestId: 'req-x' }, journey: { attempts: 1, steps: { phoneMethod: { wrote: true } } } });
    const again = drive(result.progress, user, { ...tonight, mode: 'enter' });
    expect(again.reason).toBe('failed');
    expect(again.commands).toHaveLength(1);
  });

  it('the next night retries the failed step, keeping what was done', () => {
    const user = graphUser({ failNext: { kind: 'setPerUserMfaState', errorCode: 'GRAPH_UNAVAILABLE' } });
    const first = drive(announced, user, { ...tonight, mode: 'enter' });
    const second = drive(first.progress, user, { waveId: 'w-next', now: new Date('2026-12-11T01:00:00.000Z'), mode: 'enter' });
    expect(user.writes.map((write) => write.kind)).toEqual(['createMobileMethod', 'setPerUserMfaState', 'addGroupMember']);
    expect(second.progress).toMatchObject({ state: 'active', journey: { attempts: 0, steps: { phoneMethod: { waveId: 'w-tonight' }, enforceMfa: { waveId: 'w-next' } } } });
  });

  it('a code that is the user\'s own data parks at once; others park after MFA_MAX_ATTEMPTS', () => {
    const invalid = drive(announced, graphUser({ failNext: { kind: 'createMobileMethod', errorCode: 'GRAPH_PHONE_INVALID' } }), { ...tonight, mode: 'enter' });
    expect(invalid.progress.state).toBe('parked');
    let progress: JourneyProgress = announced;
    const user = graphUser();
    for (let night = 0; night < 3; night += 1) {
      user.failNext = { kind: 'createMobileMethod', errorCode: 'GRAPH_UNAVAILABLE' };
      progress = drive(progress, user, { waveId: `w-${night}`, now: new Date(now.getTime() + night * 86_400_000), mode: 'enter' }).progress;
    }
    expect(progress).toMatchObject({ state: 'parked', journey: { attempts: 3 } });
  });

  it('parked and rolled-back users are left alone', () => {
    const parked = drive({ state: 'parked', journey: (entered() as Extract<JourneyProgress, { state: 'active' }>).journey, failure: { step: 'read', waveId: 'w', at: '', errorCode: 'X', requestId: null } }, graphUser(), { ...tonight, mode: 'enter' });
    expect(parked.reason).toBe('parked');
    expect(parked.commands).toHaveLength(1);
  });
});
