import { describe, expect, it } from '@jest/globals';
import { isRetryableStatus, toGraphFailure, toMalformedFailure, toTransportFailure } from '../../../shared/adapters/graph/graphFailure.js';

const graphBody = (code: string, message: string, requestId = 'inner-request-id') => ({ error: { code, message, innerError: { 'request-id': requestId, date: '2026-12-01T01:00:00' } } });

describe('toGraphFailure', () => {
  it('names the missing application permission on 403 Authorization_RequestDenied', () => {
    const error = toGraphFailure({ status: 403, body: graphBody('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), requestId: 'header-request-id', operation: 'phoneMethods.create', permission: 'UserAuthenticationMethod.ReadWrite.All' });
    expect(error).toMatchObject({ code: 'GRAPH_PERMISSION_MISSING', httpStatus: 403, requestId: 'header-request-id', graphCode: 'Authorization_RequestDenied', retryable: false });
    expect(error.message).toBe('phoneMethods.create needs the Graph application permission UserAuthenticationMethod.ReadWrite.All (Graph answered 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.)');
  });

  it('says when a 403 is a missing licence rather than a permission', () => {
    const error = toGraphFailure({ status: 403, body: graphBody('Authentication_RequestFromNonPremiumTenantOrB2CTenant', 'Tenant does not have a SKU required.'), requestId: null, operation: 'registrationReport.list', permission: 'AuditLog.Read.All' });
    expect(error).toMatchObject({ code: 'GRAPH_PERMISSION_MISSING', requestId: 'inner-request-id' });
    expect(error.message).toMatch(/^registrationReport\.list needs a licence the tenant lacks \(Entra ID P1\), besides the Graph application permission AuditLog\.Read\.All/);
  });

  it('maps throttling, outages and refusals to codes an operator can act on, keeping the request-id', () => {
    const code = (status: number, operation = 'users.read', graphCode = 'x', message = 'm') => toGraphFailure({ status, body: graphBody(graphCode, message), requestId: 'r', operation, permission: 'p' }).code;
    expect(code(429)).toBe('GRAPH_THROTTLED');
    expect([500, 502, 503, 504].map((status) => code(status))).toEqual(Array(4).fill('GRAPH_UNAVAILABLE'));
    expect(code(401)).toBe('GRAPH_AUTH_FAILED');
    expect(code(404, 'users.read')).toBe('GRAPH_USER_NOT_FOUND');
    expect(code(404, 'groups.listTransitiveMembers')).toBe('GRAPH_NOT_FOUND');
    // a refused phone write never turns into a duplicate from its message: that takes a read (createOrConfirmMobileMethod)
    expect(code(400, 'phoneMethods.create', 'invalidRequest', 'Phone number already exists for this user.')).toBe('GRAPH_PHONE_INVALID');
    expect(code(400, 'phoneMethods.create', 'invalidRequest', 'Invalid phone number format.')).toBe('GRAPH_PHONE_INVALID');
    expect(code(400, 'phoneMethods.delete', 'invalidRequest', 'whatever')).toBe('GRAPH_BAD_REQUEST');
    expect(code(400, 'requirements.update')).toBe('GRAPH_BAD_REQUEST');
  });

  it('reads an error without a Graph body from its status alone', () => {
    expect(toGraphFailure({ status: 503, body: null, requestId: null, operation: 'users.read', permission: 'p' })).toMatchObject({ code: 'GRAPH_UNAVAILABLE', httpStatus: 503, requestId: undefined, retryable: true });
  });

  it('retries throttling and the transient server family only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 501].some(isRetryableStatus)).toBe(false);
  });
});

describe('toTransportFailure and toMalformedFailure', () => {
  it('names the timeout and the client-request-id Microsoft support can look up', () => {
    const error = toTransportFailure({ operation: 'users.read', timeout: true, auth: false, detail: 'no answer within MFA_GRAPH_TIMEOUT_SECONDS', clientRequestId: 'c-1' });
    expect(error).toMatchObject({ code: 'GRAPH_TIMEOUT', retryable: true, httpStatus: undefined });
    expect(error.message).toBe('users.read: no answer within MFA_GRAPH_TIMEOUT_SECONDS (client-request-id c-1)');
  });

  it('keeps a failed connection retryable and a credential failure final', () => {
    expect(toTransportFailure({ operation: 'o', timeout: false, auth: false, detail: 'd', clientRequestId: 'c' })).toMatchObject({ code: 'GRAPH_UNAVAILABLE', retryable: true });
    expect(toTransportFailure({ operation: 'o', timeout: false, auth: true, detail: 'd', clientRequestId: 'c' })).toMatchObject({ code: 'GRAPH_AUTH_FAILED', retryable: false });
  });

  it('keeps status and request-id of an unreadable answer', () => {
    expect(toMalformedFailure({ operation: 'users.read', status: 200, requestId: 'r-1', detail: 'a body that is not JSON' })).toMatchObject({
      code: 'GRAPH_MALFORMED_RESPONSE',
      httpStatus: 200,
      requestId: 'r-1',
      retryable: true,
      message: 'users.read: Graph answered 200 with a body that is not JSON',
    });
  });
});
