import { describe, expect, it } from '@jest/globals';
import { campaignPassed, renderFigures, runCampaign } from '../../chaos/runCampaign.js';

describe('chaos campaign (a short fixed-seed version of `npm run chaos`)', () => {
  it('two randomized rounds of kills, overlaps and faults: nothing lost, nothing written twice, everyone final or resumable', async () => {
    const roundsDone: number[] = [];
    const figures = await runCampaign({ rounds: 2, seed: 20261125, users: 40, timeLimitMs: 60_000, onRound: (done) => roundsDone.push(done) });
    const printed = renderFigures(figures);
    expect({ passed: campaignPassed(figures), printed }).toMatchObject({ passed: true });
    expect(figures).toMatchObject({ rounds: 2, lostRecords: 0, duplicateWrites: 0, usersWrittenTwice: 0, unresolved: 0, roundProblems: 0 });
    expect(figures.killPoints).toBeGreaterThan(0);
    expect(figures.faultsInjected).toBeGreaterThan(0);
    expect(roundsDone).toEqual([1, 2]);
    expect(printed).toMatch(/lost records \(must be 0\) +0\n/);
  }, 90_000);
});
