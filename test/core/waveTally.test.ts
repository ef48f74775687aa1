import { describe, expect, it } from '@jest/globals';
import { noJourneyCounts } from '../../shared/core/waveHistory.js';
import { createWaveTally, type UserOutcome } from '../../shared/core/waveTally.js';
import { RolloutError } from '../../shared/errors/RolloutError.js';
import { testConfig } from './configBuilder.js';

const config = testConfig({ MFA_HALT_MIN_ATTEMPTS: '10', MFA_HALT_FAILURE_RATE: '0.2', MFA_TIME_BUDGET_MINUTES: '50' });
const enforced: UserOutcome = { kind: 'enforced', alreadyDone: false, phoneMethodWritten: true };
const already: UserOutcome = { kind: 'enforced', alreadyDone: true, phoneMethodWritten: false };
const unavailable: UserOutcome = { kind: 'failed', errorCode: 'GRAPH_UNAVAILABLE', message: 'requirements.update: Graph answered 503', phoneMethodWritten: true };
const denied: UserOutcome = { kind: 'failed', errorCode: 'GRAPH_PERMISSION_MISSING', message: 'needs Policy.ReadWrite.AuthenticationMethod', phoneMethodWritten: false };

const feed = (tally: ReturnType<typeof createWaveTally>, outcome: UserOutcome, times: number) => {
  for (let index = 0; index < times; index++) tally.record(outcome);
};

describe('createWaveTally', () => {
  it('counts each outcome; phone methods written by users who then failed count too', () => {
    const tally = createWaveTally(config, 10);
    feed(tally, enforced, 5);
    feed(tally, already, 2);
    tally.record(unavailable);
    tally.record({ kind: 'skipped' });
    expect(tally.settled).toBe(9);
    expect(tally.verdict()).toEqual({
      status: 'completed', reason: null, topErrors: [{ code: 'GRAPH_UNAVAILABLE', count: 1 }],
      counts: { attempted: 8, enforced: 7, alreadyDone: 2, phoneMethodsRegistered: 6, failed: 1, rowChanged: 1, journey: noJourneyCounts },
    });
  });

  it('counts the journey apart: users moved on are attempted (the breaker sees their writes) but not enforced again; checks are not attempts', () => {
    const tally = createWaveTally(config, 10);
    tally.record({ kind: 'enforced', alreadyDone: false, phoneMethodWritten: true, nudged: true });
    tally.record({ kind: 'awaitingTap', nudged: true });
    tally.record({ kind: 'enforced', alreadyDone: false, phoneMethodWritten: false, advanced: true, phishingResistant: true, phoneRetired: true });
    tally.record({ kind: 'failed', errorCode: 'GRAPH_UNAVAILABLE', message: 'groups.addMember: 503', phoneMethodWritten: false, advanced: true });
    tally.record({ kind: 'checked', registered: true });
    tally.record({ kind: 'checked' });
    const { counts } = tally.verdict();
    expect(counts).toEqual({
      attempted: 4, enforced: 1, alreadyDone: 0, phoneMethodsRegistered: 1, failed: 1, rowChanged: 0,
      journey: { nudged: 2, registered: 1, phishingResistant: 1, phoneRetired: 1, awaitingTap: 1, checked: 2, advanced: 2 },
    });
  });

  it('trips the breaker at the failure rate: no user starts after it, and the reason gives the counts at the trip', () => {
    const tally = createWaveTally(config, 100);
    feed(tally, enforced, 7);
    feed(tally, unavailable, 2);
    expect(tally.mayStart()).toBe(true);
    tally.record(unavailable); // 3 of 10: above 20%
    expect(tally.mayStart()).toBe(false);
    feed(tally, unavailable, 4); // users already in flight finish and are counted
    const verdict = tally.verdict();
    expect(verdict).toMatchObject({ status: 'halted', counts: { attempted: 14, failed: 7 } });
    expect(verdict.reason).toBe('failure rate 30% after 10 users exceeded MFA_HALT_FAILURE_RATE 20%; top errors: GRAPH_UNAVAILABLE ×7');
  });

  it('halts on an error that is the tenant\'s, even below MFA_HALT_MIN_ATTEMPTS, naming it once', () => {
    const tally = createWaveTally(config, 4);
    feed(tally, enforced, 2);
    feed(tally, denied, 2);
    expect(tally.verdict()).toMatchObject({
      status: 'halted',
      reason: "2 of 4 users failed on an error that is the tenant's or the app's, not theirs; top errors: GRAPH_PERMISSION_MISSING ×2; GRAPH_PERMISSION_MISSING: needs Policy.ReadWrite.AuthenticationMethod",
    });
  });

  it('stops for the time budget: nobody else starts, and the reason says how many planned users are left', () => {
    const tally = createWaveTally(config, 30);
    feed(tally, enforced, 8);
    tally.record({ kind: 'skipped' });
    tally.stopForTimeBudget();
    expect(tally.mayStart()).toBe(false);
    expect(tally.verdict()).toMatchObject({ status: 'stopped', reason: 'time budget of 50 min reached; 21 planned users continue next night' });
  });

  it('an abort stops new users and new writes, keeps the first error, and the close throws it', () => {
    const tally = createWaveTally(config, 30);
    const storage = new RolloutError('TABLE_UNAVAILABLE', 'Recording inFlight for user u1: Table Storage answered no status (ECONNREFUSED)');
    tally.record(enforced);
    tally.abort(storage);
    tally.abort(new RolloutError('LEASE_HELD', 'lost'));
    expect(tally.mayStart()).toBe(false);
    expect(tally.fatal).toBe(storage);
    expect(() => tally.verdict()).toThrow(storage);
  });
});
