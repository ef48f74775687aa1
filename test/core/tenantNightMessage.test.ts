import { describe, expect, it } from '@jest/globals';
import { encodeTenantNightMessage, parseTenantNightMessage } from '../../shared/core/tenantNightMessage.js';

const message = { tenantId: '3F2A1B4C-5D6E-4F70-8A9B-0C1D2E3F4A5B', night: '2026-12-02', enqueuedAt: '2026-12-02T01:00:00.000Z' };

describe('the tenant-night message', () => {
  it('is read whole, the tenant id in lower case', () => {
    expect(parseTenantNightMessage(message)).toEqual({ ...message, tenantId: message.tenantId.toLowerCase() });
  });

  it('is base64 of its JSON on the queue (host.json messageEncoding)', () => {
    const text = encodeTenantNightMessage(parseTenantNightMessage(message));
    expect(JSON.parse(Buffer.from(text, 'base64').toString('utf8'))).toEqual({ ...message, tenantId: message.tenantId.toLowerCase() });
  });

  it.each([
    ['a string', 'not json at all', 'the message as a whole'],
    ['no tenant id', { night: '2026-12-02', enqueuedAt: message.enqueuedAt }, 'tenantId'],
    ['a tenant name, not an id', { ...message, tenantId: 'contoso.onmicrosoft.com' }, 'tenantId'],
    ['a night that does not exist', { ...message, night: '2026-02-30' }, 'night'],
    ['an unknown field', { ...message, wave: 3 }, 'unknown field(s) wave'],
  ])('refuses %s, naming the field, never the value', (_label, given, field) => {
    expect(() => parseTenantNightMessage(given)).toThrow(expect.objectContaining({ code: 'TENANT_MESSAGE_INVALID', message: expect.stringContaining(`at fault: ${field}`) }));
    expect(() => parseTenantNightMessage(given)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('contoso.onmicrosoft.com') }));
  });
});
