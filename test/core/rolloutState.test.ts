import { describe, expect, it } from '@jest/globals';
import type { RolloutProgress } from '../../shared/core/rosterUser.js';
import { announce, isInState, type ProgressIn } from '../../shared/core/rolloutState.js';
import { now } from './userBuilder.js';

const at = now.toISOString();

describe('announce', () => {
  it('new -> announced at now, with the date the notice gives', () => {
    expect(announce({ state: 'new' }, 'w1', now, '2026-11-30T01:00:00.000Z')).toEqual({ state: 'announced', waveId: 'w1', announcedAt: at, enforceFrom: '2026-11-30T01:00:00.000Z' });
  });

  it('does not compile from announced, and throws INTERNAL at runtime', () => {
    const announced = announce({ state: 'new' }, 'w1', now, at);
    // @ts-expect-error announce takes a new user only
    expect(() => announce(announced, 'w2', now, at)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('throws ROW_CORRUPT for a progress with no known state (a table row gone wrong)', () => {
    expect(() => announce({ state: 'enforced' } as unknown as ProgressIn<'new'>, 'w1', now, at)).toThrow(expect.objectContaining({ code: 'ROW_CORRUPT' }));
  });
});

describe('isInState', () => {
  it('narrows so that a legal transition compiles', () => {
    const progress: RolloutProgress = { state: 'new' };
    if (isInState(progress, 'new')) expect(announce(progress, 'w1', now, at).state).toBe('announced');
    else throw new Error('a new user was not narrowed to new');
  });

  it('accepts several states, and refuses the others', () => {
    const progress: RolloutProgress = { state: 'announced', waveId: 'w1', announcedAt: at };
    expect(isInState(progress, 'new', 'announced')).toBe(true);
    expect(isInState(progress, 'active', 'failed')).toBe(false);
  });
});
