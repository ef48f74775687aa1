import { describe, expect, it } from '@jest/globals';
import { fanOutOrder } from '../../shared/core/fanOutOrder.js';

const tenant = (tenantId: string, lastNightSeconds: number | null) => ({ tenantId, lastNightSeconds });
const ids = (due: readonly { tenantId: string }[]) => due.map((entry) => entry.tenantId);

describe('fanOutOrder', () => {
  it('sends the longest last nights first, ties by tenant id', () => {
    expect(ids(fanOutOrder([tenant('a', 40), tenant('b', 310.5), tenant('d', 40), tenant('c', 0)]))).toEqual(['b', 'a', 'd', 'c']);
  });

  it('sends the tenants with no night recorded before every measured one, by tenant id', () => {
    expect(ids(fanOutOrder([tenant('m', 5), tenant('z', null), tenant('k', 900), tenant('b', null)]))).toEqual(['b', 'z', 'k', 'm']);
  });

  it('keeps the fields it was given and leaves its input as it was', () => {
    const due = [{ tenantId: 'x', lastNightSeconds: 1, night: '2027-01-04' }, { tenantId: 'y', lastNightSeconds: 2, night: '2027-01-04' }];
    expect(fanOutOrder(due)).toEqual([due[1], due[0]]);
    expect(ids(due)).toEqual(['x', 'y']);
  });
});
