import { describe, expect, it } from '@jest/globals';
import { needsMethodsProbe, readiness } from '../../shared/core/readiness.js';
import { breakGlassUpn, passkeyTrack, testConfig } from './configBuilder.js';
import { daysFrom, directoryUser, now } from './userBuilder.js';

const config = testConfig();
const cloudOnly = testConfig({ MFA_ALLOW_CLOUD_ONLY: 'true' });

describe('readiness', () => {
  it('a synced user with a valid mobile is ready and needs the phone method', () => {
    expect(readiness(directoryUser(), config)).toEqual({ ready: true, needsPhoneMethod: true, via: 'phoneBridge' });
  });

  it('accountDisabled', () => {
    expect(readiness(directoryUser({ accountEnabled: false }), config)).toEqual({ ready: false, reason: 'accountDisabled' });
  });

  it('accountDisabled comes before every other reason', () => {
    expect(readiness(directoryUser({ accountEnabled: false, onPremisesSyncEnabled: false, phone: 'missing' }), config)).toEqual({ ready: false, reason: 'accountDisabled' });
  });

  it('notSynced for a cloud-only user (null) by default', () => {
    expect(readiness(directoryUser({ onPremisesSyncEnabled: null }), config)).toEqual({ ready: false, reason: 'notSynced' });
  });

  it('a cloud-only user is ready with allowCloudOnly', () => {
    expect(readiness(directoryUser({ onPremisesSyncEnabled: null }), cloudOnly)).toEqual({ ready: true, needsPhoneMethod: true, via: 'phoneBridge' });
  });

  it('notSynced when sync stopped for the user (false), even with allowCloudOnly', () => {
    expect(readiness(directoryUser({ onPremisesSyncEnabled: false }), cloudOnly)).toEqual({ ready: false, reason: 'notSynced' });
  });

  it('a registered strong method makes the user ready without a phone', () => {
    expect(readiness(directoryUser({ methods: 'registered', phone: 'missing' }), config)).toEqual({ ready: true, needsPhoneMethod: false, via: 'existingMethod' });
  });

  it('a registered strong method with a valid mobile needs no phone method either', () => {
    expect(readiness(directoryUser({ methods: 'registered' }), config)).toEqual({ ready: true, needsPhoneMethod: false, via: 'existingMethod' });
  });

  it('a valid mobile with unknown methods is ready (the write step checks the methods)', () => {
    expect(readiness(directoryUser({ methods: 'unknown' }), config)).toEqual({ ready: true, needsPhoneMethod: true, via: 'phoneBridge' });
  });

  it.each(['missing', 'invalid', 'landline'] as const)('the phone\'s reason even before the methods are read (phone %s): the probe is a separate question', (phone) => {
    const user = directoryUser({ methods: 'unknown', methodsCheckedAt: null, phone });
    expect(readiness(user, config)).toEqual(readiness(directoryUser({ methods: 'none', phone }), config));
    expect(needsMethodsProbe(user, config, now)).toBe(true);
  });

  it.each([
    ['missing', 'mobileMissing'],
    ['invalid', 'mobileInvalid'],
    ['noCountryCode', 'mobileNoCountryCode'],
    ['landline', 'mobileIsLandline'],
    ['hasExtension', 'mobileHasExtension'],
  ] as const)('phone %s without a strong method is %s', (phone, reason) => {
    expect(readiness(directoryUser({ phone, methods: 'none' }), config)).toEqual({ ready: false, reason });
  });
});

describe('readiness on the track', () => {
  const passkey = testConfig(passkeyTrack);
  const smsOff = { phone: false, phoneBlockedBy: 'policy', fido2: true, authenticator: true } as const;
  const smsRetired = { phone: false, phoneBlockedBy: 'retired', fido2: true, authenticator: true } as const;

  it('passkey track: a user with no usable mobile and no method enters through a helpdesk Temporary Access Pass', () => {
    expect(readiness(directoryUser({ phone: 'missing', methods: 'none' }), passkey)).toEqual({ ready: true, needsPhoneMethod: false, via: 'temporaryAccessPass' });
    expect(needsMethodsProbe(directoryUser({ phone: 'missing', methods: 'unknown', methodsCheckedAt: null }), passkey, now)).toBe(false);
  });

  it('passkey track: a valid mobile is no bridge once SMS is off for the user or retired; the pass is the way in', () => {
    expect(readiness(directoryUser(), passkey, smsOff)).toMatchObject({ ready: true, via: 'temporaryAccessPass' });
    expect(readiness(directoryUser(), passkey, smsRetired)).toMatchObject({ ready: true, via: 'temporaryAccessPass' });
  });

  it('phone track: SMS off for the user (policy) or retired (the date) holds a valid mobile back, by name', () => {
    expect(readiness(directoryUser(), config, smsOff)).toEqual({ ready: false, reason: 'smsNotAllowed' });
    expect(readiness(directoryUser(), config, smsRetired)).toEqual({ ready: false, reason: 'smsRetired' });
    expect(readiness(directoryUser({ methods: 'registered' }), config, smsRetired)).toMatchObject({ ready: true, via: 'existingMethod' });
  });
});

describe('needsMethodsProbe', () => {
  it('probes a user without a valid mobile whose methods are unknown', () => {
    expect(needsMethodsProbe(directoryUser({ phone: 'landline', methods: 'unknown', methodsCheckedAt: null }), config, now)).toBe(true);
  });

  it('probes when the last read is more than 7 days old', () => {
    expect(needsMethodsProbe(directoryUser({ phone: 'missing', methodsCheckedAt: daysFrom(now, -8).toISOString() }), config, now)).toBe(true);
  });

  it('does not probe when the last read is exactly 7 days old', () => {
    expect(needsMethodsProbe(directoryUser({ phone: 'missing', methodsCheckedAt: daysFrom(now, -7).toISOString() }), config, now)).toBe(false);
  });

  it('does not probe a recent read', () => {
    expect(needsMethodsProbe(directoryUser({ phone: 'missing', methodsCheckedAt: daysFrom(now, -1).toISOString() }), config, now)).toBe(false);
  });

  it('probes a read with an unreadable time', () => {
    expect(needsMethodsProbe(directoryUser({ phone: 'missing', methodsCheckedAt: 'last week' }), config, now)).toBe(true);
  });

  it('does not probe a ready user', () => {
    expect(needsMethodsProbe(directoryUser({ methods: 'unknown', methodsCheckedAt: null }), config, now)).toBe(false);
  });

  it('does not probe a disabled account', () => {
    expect(needsMethodsProbe(directoryUser({ accountEnabled: false, phone: 'missing', methods: 'unknown' }), config, now)).toBe(false);
  });

  it('does not probe a user that is not synced', () => {
    expect(needsMethodsProbe(directoryUser({ onPremisesSyncEnabled: false, phone: 'missing', methods: 'unknown' }), config, now)).toBe(false);
  });

  it('does not probe an excluded user', () => {
    expect(needsMethodsProbe(directoryUser({ userPrincipalName: breakGlassUpn, phone: 'missing', methods: 'unknown' }), config, now)).toBe(false);
  });
});
