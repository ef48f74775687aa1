import { describe, expect, it } from '@jest/globals';
import { campaignPassed, renderFigures, runCampaign, type CampaignFigures } from '../../chaos/runCampaign.js';

/** Every figure the verdict requires to be 0. */
const mustBeZero = ['lostRecords', 'duplicateWrites', 'usersWrittenTwice', 'unresolved', 'breakGlassWrites', 'enforcedWithoutMethod', 'enforceableNotEnforced', 'phishingResistantWithoutPasskey', 'registeredNotMoved', 'roundProblems'] as const;

describe('chaos campaign (a short fixed-seed version of `npm run chaos`)', () => {
  it('two randomized rounds of kills, overlaps, faults and lost answers, one on each track: nothing lost, nothing written twice, every enforceable user enforced in Graph, every passkey holder moved on; any bad figure fails it', async () => {
    const roundsDone: number[] = [];
    const figures = await runCampaign({ rounds: 2, seed: 20261125, users: 40, timeLimitMs: 60_000, onRound: (done) => roundsDone.push(done) });
    const printed = renderFigures(figures);
    expect({ passed: campaignPassed(figures), printed }).toMatchObject({ passed: true });
    expect(figures).toMatchObject({ rounds: 2, answerLoss: true, lostRecords: 0, duplicateWrites: 0, usersWrittenTwice: 0, unresolved: 0, enforceableNotEnforced: 0, roundProblems: 0 });
    expect(figures.killPoints).toBeGreaterThan(0);
    // the passkey track's round: its own writes (campaign, phishing-resistant, phone-retired groups), killed at them
    expect(figures).toMatchObject({ passkeyRounds: 1, phishingResistantWithoutPasskey: 0, registeredNotMoved: 0 });
    expect(figures.journeyGroupAdds).toBeGreaterThan(10);
    expect(figures.killsAtGroupAdds.campaign + figures.killsAtGroupAdds.phishingResistant + figures.killsAtGroupAdds.phoneRetired).toBeGreaterThan(0);
    expect(printed).toMatch(/\n {2}rounds +2 \(1 phone track, 1 passkey track\)\n/);
    expect(printed).toMatch(/in the phishing-resistant group without a passkey \(must be 0\) +0\n/);
    expect(figures.faultsInjected).toBeGreaterThan(0);
    // the kinds add up to the total, and each is printed
    expect(Object.values(figures.faultsByKind).reduce((sum, count) => sum + count, 0)).toBe(figures.faultsInjected);
    expect(printed).toMatch(/\n {4}lost answers \(applied, never answered\) +\d+\n/);
    expect(printed).toMatch(/\n {4}503 serviceNotAvailable +\d+\n/);
    expect(roundsDone).toEqual([1, 2]);
    expect(printed).toMatch(/lost records \(must be 0\) +0\n/);
    expect(printed).toMatch(/enforceable users not enforced in Graph \(must be 0\) +0\n/);

    // the verdict: one bad figure of any kind fails the campaign, and the print says so
    for (const figure of mustBeZero) {
      const bad: CampaignFigures = { ...figures, [figure]: 1 };
      expect({ figure, passed: campaignPassed(bad) }).toEqual({ figure, passed: false });
      expect(renderFigures(bad)).toMatch(/\nFAILED$/);
    }
    expect(campaignPassed({ ...figures, rounds: 0 })).toBe(false);
    // users the faults parked are explained, not a failure
    expect(campaignPassed({ ...figures, parkedByFaults: 3 })).toBe(true);
  }, 180_000);
});
