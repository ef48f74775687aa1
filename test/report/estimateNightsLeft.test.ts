import { describe, expect, it } from '@jest/globals';
import { estimateNightsLeft } from '../../shared/report/estimateNightsLeft.js';
import { testConfig } from '../core/configBuilder.js';
import { night, wave } from '../core/waveBuilder.js';

const now = new Date(night(0));
const plan = { status: 'plan', pilot: false, targetSize: 50 } as const;
const config = testConfig({ MFA_WAVE_SIZE: '50', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '400', MFA_NOTICE_DAYS: '3' });

describe('estimateNightsLeft', () => {
  it('nothing left: 0 nights', () => {
    expect(estimateNightsLeft({ remaining: 0, plan, history: [wave()], config, now })).toMatchObject({ nights: 0, lastNight: null, waveSizes: [] });
  });

  it('before any wave: the notice period, then waves of 50, 100, 200, 400, 400 … until the users are covered', () => {
    const estimate = estimateNightsLeft({ remaining: 1000, plan, history: [], config, now });
    // 50 + 100 + 200 + 400 = 750 < 1000 <= 1150: five waves, plus MFA_NOTICE_DAYS (nobody announced yet)
    expect(estimate).toMatchObject({ nights: 8, waveSizes: [50, 100, 200, 400, 400], extraNights: { pilot: 0, notice: 3 }, recentPace: null });
    expect(estimate.lastNight).toBe('2026-12-02'); // tonight (no record today yet) is the first of the 8
  });

  it('after a clean wave the next one is grown, and a record today moves the first night to tomorrow', () => {
    const history = [wave({ startedAt: night(-1), targetSize: 50, planned: 50, enforced: 50, announced: 100 }), wave({ startedAt: night(0), targetSize: 100, planned: 100, enforced: 100, announced: 200 })];
    const estimate = estimateNightsLeft({ remaining: 300, plan, history, config, now });
    expect(estimate).toMatchObject({ nights: 2, waveSizes: [200, 400], extraNights: { pilot: 0, notice: 0 } });
    expect(estimate.lastNight).toBe('2026-11-27');
    expect(estimate.recentPace).toEqual({ nights: 2, enforced: 150, perNight: 75, nightsLeft: 4 });
  });

  it('a wave above the warning rate does not grow: the next keeps its size', () => {
    const history = [wave({ startedAt: night(-1), targetSize: 100, planned: 100, attempted: 100, enforced: 90, failed: 10, announced: 5 })];
    expect(estimateNightsLeft({ remaining: 150, plan, history, config, now })).toMatchObject({ nights: 2, waveSizes: [100, 200] });
  });

  it('the pilot night counts once, and its users are taken off the ramp', () => {
    const estimate = estimateNightsLeft({ remaining: 60, plan: { status: 'plan', pilot: true, targetSize: 10 }, history: [wave({ startedAt: night(-1), pilot: true, enforced: 0, planned: 0, announced: 10 })], config, now });
    expect(estimate).toMatchObject({ nights: 2, waveSizes: [50], extraNights: { pilot: 1, notice: 0 } });
  });

  it('halted: no estimate until resumed, but the observed pace still shows', () => {
    const estimate = estimateNightsLeft({ remaining: 500, plan: { status: 'halted', pilot: false, targetSize: 0 }, history: [wave({ startedAt: night(-1), status: 'halted', failed: 20 })], config, now });
    expect(estimate).toMatchObject({ nights: null, halted: true, lastNight: null });
    expect(estimate.recentPace).toMatchObject({ nights: 1, enforced: 50 });
  });

  it('the recent pace looks back 7 nights at most and counts quiet nights in between', () => {
    const history = Array.from({ length: 10 }, (_, index) => wave({ startedAt: night(index - 9), enforced: index < 3 ? 1000 : 70, announced: 1 }));
    expect(estimateNightsLeft({ remaining: 700, plan, history, config, now }).recentPace).toEqual({ nights: 7, enforced: 490, perNight: 70, nightsLeft: 10 });
    const gap = [wave({ startedAt: night(-4), enforced: 100 }), wave({ startedAt: night(0), enforced: 100 })];
    expect(estimateNightsLeft({ remaining: 100, plan, history: gap, config, now }).recentPace).toEqual({ nights: 5, enforced: 200, perNight: 40, nightsLeft: 3 });
  });

  it('says how it is computed, with the settings it used', () => {
    expect(estimateNightsLeft({ remaining: 10, plan, history: [], config, now }).method).toMatch(/^Ramp-up projection: the next wave enforces 50 user\(s\) \(MFA_WAVE_SIZE 50, ×2 after each clean wave, at most MFA_MAX_WAVE_SIZE 400\)/);
  });
});
