import { describe, expect, it } from '@jest/globals';
import { createOrConfirmMobileMethod } from '../../../shared/adapters/graph/createOrConfirmMobileMethod.js';
import { classifyMobileCreateRefusal } from '../../../shared/core/mobileCreateRefusal.js';
import { useGatewayHarness } from './helpers/gatewayHarness.js';

const harness = useGatewayHarness({ users: 80, seed: 17 });

describe('classifyMobileCreateRefusal', () => {
  it('decides by the numbers, in either form Graph shows them', () => {
    expect(classifyMobileCreateRefusal('+46 701234567', '+46 701234567', 'SE')).toBe('alreadyThere');
    expect(classifyMobileCreateRefusal('+46 701234567', '+46701234567', 'SE')).toBe('alreadyThere');
    expect(classifyMobileCreateRefusal('+46 701234567', '+46 709999999', 'SE')).toBe('conflict');
    expect(classifyMobileCreateRefusal('+46 701234567', null, 'SE')).toBe('invalid');
  });
});

describe('createOrConfirmMobileMethod against the sandbox (whose refusal messages match no text the product could look for)', () => {
  it('creates the mobile; a second create of the same number (a retry after a lost answer) is alreadyThere, not a failure', async () => {
    const { sandbox, users, gateway } = harness();
    const userId = users('ready')[0] ?? '';
    const writes = gateway();
    expect(await createOrConfirmMobileMethod(writes, userId, '+46 701234501', 'SE')).toEqual({ kind: 'created' });
    expect(await createOrConfirmMobileMethod(writes, userId, '+46 701234501', 'SE')).toEqual({ kind: 'alreadyThere' });
    expect(sandbox.state.phoneMethods(userId).map((method) => [method.phoneType, method.phoneNumber])).toEqual([['mobile', '+46 701234501']]);
    expect(sandbox.journal.entries().filter((entry) => entry.userId === userId).map((entry) => entry.status)).toEqual([201, 400]);
  });

  it('names a mobile with another number GRAPH_PHONE_DUPLICATE, and a number Graph refuses GRAPH_PHONE_INVALID, each with the request-id', async () => {
    const { sandbox, users, gateway } = harness();
    const conflictId = users('phoneConflict')[0] ?? '';
    const before = sandbox.state.phoneMethods(conflictId).map((method) => method.phoneNumber);
    const conflict = await createOrConfirmMobileMethod(gateway(), conflictId, '+46 701234502', 'SE');
    expect(conflict).toMatchObject({ kind: 'conflict', error: { code: 'GRAPH_PHONE_DUPLICATE', httpStatus: 400, requestId: expect.any(String) } });
    expect(sandbox.state.phoneMethods(conflictId).map((method) => method.phoneNumber)).toEqual(before);

    const invalid = await createOrConfirmMobileMethod(gateway(), users('ready')[1] ?? '', '+46 70-123', 'SE');
    expect(invalid).toMatchObject({ kind: 'invalid', error: { code: 'GRAPH_PHONE_INVALID', httpStatus: 400, requestId: expect.any(String) } });
  });
});
