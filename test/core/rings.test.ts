import { describe, expect, it } from '@jest/globals';
import { ringNames, ringOf, rolloutOrderKey } from '../../shared/core/rings.js';
import { itGroupId, pilotGroupId, testConfig } from './configBuilder.js';
import { directoryUser, userId } from './userBuilder.js';

const config = testConfig({
  MFA_PILOT_GROUP_ID: pilotGroupId,
  MFA_PILOT_USERS: 'Ann@Contoso.com,' + userId(99),
  MFA_RINGS: JSON.stringify([
    { name: 'it', groupId: itGroupId },
    { name: 'finance', attribute: 'department', values: ['Finance', 'Accounting'] },
  ]),
});

describe('ringNames', () => {
  it('lists pilot, the configured rings in order, then everyone', () => {
    expect(ringNames(config)).toEqual(['pilot', 'it', 'finance', 'everyone']);
  });
});

describe('ringOf', () => {
  it('pilot by pilot group membership', () => {
    expect(ringOf(directoryUser({ groupIds: [pilotGroupId] }), config)).toEqual({ name: 'pilot', rank: 0 });
  });

  it('pilot by UPN in pilotUsers, case-insensitive', () => {
    expect(ringOf(directoryUser({ userPrincipalName: 'ann@contoso.COM' }), config).name).toBe('pilot');
  });

  it('pilot by object id in pilotUsers', () => {
    expect(ringOf(directoryUser({ id: userId(99) }), config).name).toBe('pilot');
  });

  it('a group ring by groupIds', () => {
    expect(ringOf(directoryUser({ groupIds: [itGroupId] }), config)).toEqual({ name: 'it', rank: 1 });
  });

  it('a department ring, case-insensitive', () => {
    expect(ringOf(directoryUser({ department: ' FINANCE ' }), config)).toEqual({ name: 'finance', rank: 2 });
    expect(ringOf(directoryUser({ department: 'accounting' }), config).name).toBe('finance');
  });

  it('everyone else', () => {
    expect(ringOf(directoryUser({ department: 'Sales' }), config)).toEqual({ name: 'everyone', rank: 3 });
  });

  it('a user without a department is in everyone', () => {
    expect(ringOf(directoryUser({ department: null }), config).name).toBe('everyone');
  });

  it('first match wins: pilot over a ring', () => {
    expect(ringOf(directoryUser({ groupIds: [itGroupId, pilotGroupId], department: 'Finance' }), config).name).toBe('pilot');
  });

  it('first match wins: the earlier ring', () => {
    expect(ringOf(directoryUser({ groupIds: [itGroupId], department: 'Finance' }), config).name).toBe('it');
  });

  it('with no pilot and no rings everybody is in everyone', () => {
    expect(ringOf(directoryUser({ groupIds: [pilotGroupId] }), testConfig())).toEqual({ name: 'everyone', rank: 1 });
  });
});

describe('rolloutOrderKey', () => {
  it('is pinned: changing it would reshuffle a running rollout', () => {
    expect(rolloutOrderKey('default', userId(1))).toBe(1034742582112681);
    expect(rolloutOrderKey('default', userId(2))).toBe(3076089087547770);
    expect(rolloutOrderKey('r2', userId(1))).toBe(7247686123837266);
  });

  it('ignores the case of the user id', () => {
    expect(rolloutOrderKey('default', 'ABCDEF00-0000-4000-8000-000000000001')).toBe(rolloutOrderKey('default', 'abcdef00-0000-4000-8000-000000000001'));
  });

  it('depends on the rollout id', () => {
    expect(rolloutOrderKey('a', userId(1))).not.toBe(rolloutOrderKey('b', userId(1)));
  });

  it('is a safe integer', () => {
    const key = rolloutOrderKey('default', userId(12345));
    expect(Number.isSafeInteger(key)).toBe(true);
    expect(key).toBeGreaterThanOrEqual(0);
  });

  it('spreads sequential ids: the first 100 of 1000 are not the lowest ids', () => {
    const ids = Array.from({ length: 1000 }, (_, index) => index);
    const first = [...ids].sort((a, b) => rolloutOrderKey('default', userId(a)) - rolloutOrderKey('default', userId(b))).slice(0, 100);
    expect(first.filter((index) => index < 100).length).toBeLessThan(30);
    expect(Math.max(...first)).toBeGreaterThan(900);
  });
});
