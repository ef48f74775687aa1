import { describe, expect, it } from '@jest/globals';
import { haltState, shouldHalt } from '../../shared/core/haltPolicy.js';
import { testConfig } from './configBuilder.js';
import { now } from './userBuilder.js';
import { night, wave } from './waveBuilder.js';

const config = testConfig({ MFA_HALT_MIN_ATTEMPTS: '20', MFA_HALT_FAILURE_RATE: '0.1' });

describe('shouldHalt', () => {
  it('does not halt before haltMinAttempts', () => {
    expect(shouldHalt({ attempted: 19, failed: 19 }, config)).toBe(false);
  });

  it('halts above the rate at haltMinAttempts', () => {
    expect(shouldHalt({ attempted: 20, failed: 3 }, config)).toBe(true);
  });

  it('does not halt at exactly the rate', () => {
    expect(shouldHalt({ attempted: 20, failed: 2 }, config)).toBe(false);
  });

  it('does not halt a clean wave', () => {
    expect(shouldHalt({ attempted: 500, failed: 0 }, config)).toBe(false);
  });
});

const halted = wave({ startedAt: night(-1), status: 'halted', reason: 'failure rate 0.25 > 0.1', attempted: 20, failed: 5 });

describe('haltState', () => {
  it('is not halted with no history', () => {
    expect(haltState([], config, now)).toEqual({ halted: false });
  });

  it('is not halted after completed waves', () => {
    expect(haltState([wave({ startedAt: night(-2) }), wave({ startedAt: night(-1) })], config, now)).toEqual({ halted: false });
  });

  it('is halted after a halted enforce wave, with since and reason', () => {
    expect(haltState([wave({ startedAt: night(-2) }), halted], config, now)).toEqual({
      halted: true,
      waveId: halted.waveId,
      since: halted.endedAt,
      reason: 'failure rate 0.25 > 0.1',
      nightsSince: 1,
      autoResume: false,
    });
  });

  it('stays halted through held nights', () => {
    const held = wave({ startedAt: night(0), kind: 'held', status: 'held' });
    expect(haltState([halted, held], config, now).halted).toBe(true);
  });

  it('is resumed by a later resume record', () => {
    expect(haltState([halted, wave({ startedAt: night(-1).replace('T01', 'T09'), kind: 'resume', status: 'done', targetWaveId: halted.waveId })], config, now)).toEqual({ halted: false });
  });

  it('is resumed by a resume record naming the halted wave, even with the same start time', () => {
    expect(haltState([halted, wave({ startedAt: night(-1), waveId: '0-resume', kind: 'resume', status: 'done', targetWaveId: halted.waveId })], config, now)).toEqual({ halted: false });
  });

  it('a resume record before the halt does not lift it', () => {
    expect(haltState([wave({ startedAt: night(-3), kind: 'resume', status: 'done' }), halted], config, now).halted).toBe(true);
  });

  it('a newer halt after a resume halts again', () => {
    const history = [wave({ startedAt: night(-5), status: 'halted' }), wave({ startedAt: night(-4), kind: 'resume', status: 'done' }), halted];
    expect(haltState(history, config, now)).toMatchObject({ halted: true, waveId: halted.waveId });
  });

  it('only enforce waves halt: a halted-looking rollback record does not', () => {
    expect(haltState([wave({ kind: 'rollback', status: 'halted' })], config, now)).toEqual({ halted: false });
  });

  it('autoResume is off when autoResumeAfterNights is 0', () => {
    expect(haltState([wave({ startedAt: night(-30), status: 'halted' })], config, now)).toMatchObject({ halted: true, autoResume: false, nightsSince: 30 });
  });

  it('autoResume once enough nights have passed', () => {
    const auto = testConfig({ MFA_AUTO_RESUME_AFTER_NIGHTS: '2' });
    expect(haltState([wave({ startedAt: night(-2), status: 'halted' })], auto, now)).toMatchObject({ halted: true, autoResume: true, nightsSince: 2 });
  });

  it('no autoResume before enough nights have passed', () => {
    const auto = testConfig({ MFA_AUTO_RESUME_AFTER_NIGHTS: '2' });
    expect(haltState([halted], auto, now)).toMatchObject({ halted: true, autoResume: false, nightsSince: 1 });
  });

  it('counts a night per night although tonight starts a little earlier than the halted wave ended', () => {
    const auto = testConfig({ MFA_AUTO_RESUME_AFTER_NIGHTS: '1' });
    const lateHalt = wave({ startedAt: night(-1), endedAt: night(-1).replace('T01:00', 'T01:45'), status: 'halted' });
    expect(haltState([lateHalt], auto, now)).toMatchObject({ nightsSince: 1, autoResume: true });
  });
});
