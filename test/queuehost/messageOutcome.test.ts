import { describe, expect, it } from '@jest/globals';
import { outcomeAfterRun, outcomeBeforeRun, poisonQueueName } from '../../queuehost/messageOutcome.js';

describe('the host rules for settling a message', () => {
  it('runs a message up to maxDequeueCount deliveries; one delivered more often (its runs died with their instance) is poisoned unrun', () => {
    expect([1, 5, 6].map((count) => outcomeBeforeRun(count, 5, true))).toEqual(['run', 'run', 'poison']);
    expect(outcomeBeforeRun(6, 5, false)).toBe('run'); // no poison queue: nothing to move it to
  });

  it('deletes on success, releases an earlier failure and poisons the maxDequeueCount-th', () => {
    expect(outcomeAfterRun(true, 5, 5, true)).toBe('delete');
    expect([1, 4, 5, 6].map((count) => outcomeAfterRun(false, count, 5, true))).toEqual(['release', 'release', 'poison', 'poison']);
    expect(outcomeAfterRun(false, 1, 5, false)).toBe('abandon');
  });

  it('names the poison queue <queue>-poison, except for a poison queue itself or a name too long for the suffix', () => {
    expect(poisonQueueName('mfa-tenant-nights')).toBe('mfa-tenant-nights-poison');
    expect(poisonQueueName('mfa-tenant-nights-poison')).toBeNull();
    expect(poisonQueueName('q'.repeat(57))).toBeNull();
    expect(poisonQueueName('q'.repeat(56))).toBe(`${'q'.repeat(56)}-poison`);
  });
});
