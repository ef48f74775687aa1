import { describe, expect, it } from '@jest/globals';
import { decodeQueueMessage } from '../../queuehost/decodeQueueMessage.js';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('decodeQueueMessage', () => {
  it('base64 → UTF-8 text → JSON when it parses, the text itself otherwise (the Node.js worker tryJsonParse)', () => {
    const message = { tenantId: '00000000-0000-4000-8000-000000000001', night: '2026-12-02', enqueuedAt: '2026-12-02T00:00:00.000Z' };
    expect(decodeQueueMessage(base64(JSON.stringify(message)), 'base64')).toEqual({ ok: true, text: JSON.stringify(message), value: message });
    expect(decodeQueueMessage(base64('42'), 'base64')).toEqual({ ok: true, text: '42', value: 42 });
    expect(decodeQueueMessage(base64('nuit blanche — été'), 'base64')).toEqual({ ok: true, text: 'nuit blanche — été', value: 'nuit blanche — été' });
    expect(decodeQueueMessage(`${base64('{"a":1}').slice(0, 4)}\n${base64('{"a":1}').slice(4)}`, 'base64')).toEqual({ ok: true, text: '{"a":1}', value: { a: 1 } });
  });

  it('refuses a body that is not strict base64 (the host poisons such a message unrun)', () => {
    expect(decodeQueueMessage('{"tenantId":"x"}', 'base64')).toEqual({ ok: false });
    expect(decodeQueueMessage('abc', 'base64')).toEqual({ ok: false }); // length not a multiple of 4
    expect(decodeQueueMessage('ab=c', 'base64')).toEqual({ ok: false });
  });

  it('takes the body as the text itself with messageEncoding none', () => {
    expect(decodeQueueMessage('{"a":1}', 'none')).toEqual({ ok: true, text: '{"a":1}', value: { a: 1 } });
  });
});
