import { describe, expect, it } from '@jest/globals';
import { syncHealth } from '../../shared/core/syncHealth.js';
import { testConfig } from './configBuilder.js';
import { now } from './userBuilder.js';

const config = testConfig({ MFA_MAX_SYNC_AGE_MINUTES: '120' });
const minutesAgo = (minutes: number): string => new Date(now.getTime() - minutes * 60_000).toISOString();

describe('syncHealth', () => {
  it('opens when sync is on and the last sync is recent', () => {
    expect(syncHealth({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: minutesAgo(30) }, config, now)).toEqual({
      open: true,
      reason: 'syncRecent',
      ageMinutes: 30,
    });
  });

  it('opens at exactly maxSyncAgeMinutes', () => {
    expect(syncHealth({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: minutesAgo(120) }, config, now).open).toBe(true);
  });

  it('holds as syncStale with the age one minute past the limit', () => {
    expect(syncHealth({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: minutesAgo(121) }, config, now)).toEqual({
      open: false,
      reason: 'syncStale',
      ageMinutes: 121,
      code: 'SYNC_STALE',
    });
  });

  it('holds as syncDisabled when sync is switched off', () => {
    expect(syncHealth({ onPremisesSyncEnabled: false, onPremisesLastSyncDateTime: minutesAgo(10) }, config, now)).toEqual({
      open: false,
      reason: 'syncDisabled',
      code: 'SYNC_DISABLED',
    });
  });

  it('holds as syncDisabled when the tenant never synced (null)', () => {
    expect(syncHealth({ onPremisesSyncEnabled: null, onPremisesLastSyncDateTime: null }, config, now)).toMatchObject({ open: false, reason: 'syncDisabled' });
  });

  it('holds as syncNeverRan when sync is on but has no last sync time', () => {
    expect(syncHealth({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: null }, config, now)).toEqual({
      open: false,
      reason: 'syncNeverRan',
      code: 'SYNC_STALE',
    });
  });

  it('holds as syncTimeUnreadable when the time does not parse', () => {
    expect(syncHealth({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: 'yesterday' }, config, now)).toMatchObject({
      open: false,
      reason: 'syncTimeUnreadable',
    });
  });

  it('treats a last sync up to 5 minutes in the future as clock skew (age 0)', () => {
    expect(syncHealth({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: minutesAgo(-5) }, config, now)).toEqual({
      open: true,
      reason: 'syncRecent',
      ageMinutes: 0,
    });
  });

  it('holds as syncInFuture when the last sync is more than 5 minutes ahead', () => {
    expect(syncHealth({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: minutesAgo(-90) }, config, now)).toEqual({
      open: false,
      reason: 'syncInFuture',
      aheadMinutes: 90,
      code: 'SYNC_STALE',
    });
  });

  it('is open whatever the tenant says when requireDirectorySync is false', () => {
    const cloudOnly = testConfig({ MFA_REQUIRE_DIRECTORY_SYNC: 'false' });
    expect(syncHealth({ onPremisesSyncEnabled: null, onPremisesLastSyncDateTime: null }, cloudOnly, now)).toEqual({ open: true, reason: 'syncNotRequired' });
  });

  it('reads maxSyncAgeMinutes from the config', () => {
    const strict = testConfig({ MFA_MAX_SYNC_AGE_MINUTES: '30' });
    expect(syncHealth({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: minutesAgo(45) }, strict, now)).toMatchObject({ reason: 'syncStale', ageMinutes: 45 });
  });
});
