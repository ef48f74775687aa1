import { describe, expect, it } from '@jest/globals';
import { planWave } from '../../shared/core/planWave.js';
import { noJourneyCounts } from '../../shared/core/waveHistory.js';
import { closedWave, countsAsAtStart, diedWave, heldWave, markerWave, rollbackMarkerWave, startedWave, stoppedWave, syncHeldReason } from '../../shared/core/waveRecords.js';
import { testConfig } from './configBuilder.js';
import { now, rosterUser, rosterUsers, userId } from './userBuilder.js';

const config = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '3' });
const plan = planWave([...rosterUsers(5), rosterUser({ id: userId(99), userType: 'Guest' })], [], config, now);

describe('wave records', () => {
  it('a wave starts running, with its plan and the users waiting by reason (zeros left out)', () => {
    expect(startedWave('w1', now, plan, 'h')).toEqual({
      waveId: 'w1', kind: 'enforce', status: 'running', startedAt: now.toISOString(), endedAt: null, pilot: false, targetSize: 3, planned: 3,
      announced: 0, attempted: 0, enforced: 0, alreadyDone: 0, phoneMethodsRegistered: 0, failed: 0, skipped: { guest: 1, laterWave: 2 },
      reason: null, topErrors: [], targetWaveId: null, configHash: 'h', journey: noJourneyCounts,
    });
  });

  it('closes with the tally\'s verdict; rows that changed under the run join the skipped counts', () => {
    const start = startedWave('w1', now, plan, 'h');
    const verdict = { status: 'completed', reason: null, topErrors: [], counts: { attempted: 2, enforced: 2, alreadyDone: 1, phoneMethodsRegistered: 1, failed: 0, rowChanged: 1, journey: { ...noJourneyCounts, nudged: 2, checked: 3 } } } as const;
    const end = new Date(now.getTime() + 60_000);
    expect(closedWave(start, 4, verdict, end)).toMatchObject({
      status: 'completed', endedAt: end.toISOString(), announced: 4, attempted: 2, enforced: 2, alreadyDone: 1, phoneMethodsRegistered: 1,
      skipped: { guest: 1, laterWave: 2, rowChanged: 1 },
      journey: { ...noJourneyCounts, nudged: 2, checked: 3 },
    });
  });

  it('a wave stopped on an error names it; one the run died in is stopped with the reason', () => {
    const start = startedWave('w1', now, plan, 'h');
    // neither record has the wave's real counts (the tally died with the error or the run): each says so
    expect(stoppedWave(start, { code: 'TABLE_UNAVAILABLE', message: 'Table Storage answered 503' }, now)).toMatchObject({
      status: 'stopped', enforced: 0, reason: `TABLE_UNAVAILABLE: Table Storage answered 503; ${countsAsAtStart('w1')}`,
    });
    expect(diedWave(start)).toMatchObject({ status: 'stopped', endedAt: null, enforced: 0, reason: expect.stringMatching(/^the run died before closing this wave/) });
    expect(diedWave(start).reason).toContain('the counts are as saved at its start, not what the wave did');
  });

  it('held nights and markers carry no counts', () => {
    expect(heldWave('w2', now, 'syncStale (last sync 300 min ago)', 'h')).toMatchObject({ kind: 'held', status: 'held', planned: 0, reason: 'syncStale (last sync 300 min ago)', endedAt: now.toISOString() });
    expect(markerWave('rollback', 'w3', now, 'w1', 'rolled back 3 of 3 user(s)', 'h')).toMatchObject({ kind: 'rollback', status: 'done', targetWaveId: 'w1', planned: 0 });
  });

  it('a rollback is recorded with its counts and says in words what failed and which mobiles Graph kept', () => {
    expect(rollbackMarkerWave('w4', now, 'w1', { attempted: 8, reverted: 7, failed: 1, phonesKept: 2 }, 'h')).toMatchObject({
      waveId: 'w4', kind: 'rollback', status: 'done', targetWaveId: 'w1', attempted: 8, enforced: 7, failed: 1, planned: 0, configHash: 'h',
      reason: 'rolled back 7 of 8 user(s); 1 failed (run it again); 2 mobile(s) kept: Graph refuses to delete them (default MFA method or alternate mobile)',
    });
    expect(rollbackMarkerWave('w5', now, 'w1', { attempted: 3, reverted: 3, failed: 0, phonesKept: 0 }, 'h').reason).toBe('rolled back 3 of 3 user(s)');
  });

  it('the reason of a closed sync gate gives the age or the lead of the last sync', () => {
    expect(syncHeldReason({ open: false, reason: 'syncStale', ageMinutes: 300, code: 'SYNC_STALE' })).toBe('syncStale (last sync 300 min ago)');
    expect(syncHeldReason({ open: false, reason: 'syncInFuture', aheadMinutes: 30, code: 'SYNC_STALE' })).toBe('syncInFuture (last sync 30 min in the future)');
    expect(syncHeldReason({ open: false, reason: 'syncDisabled', code: 'SYNC_DISABLED' })).toBe('syncDisabled');
  });
});
