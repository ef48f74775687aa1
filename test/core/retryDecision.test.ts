import { describe, expect, it } from '@jest/globals';
import { errorCodes, type ErrorCode } from '../../shared/errors/errorCodes.js';
import { parkAtOnceCodes, retryDecision } from '../../shared/core/retryDecision.js';
import { testConfig } from './configBuilder.js';

const config = testConfig({ MFA_MAX_ATTEMPTS: '3' });

describe('retryDecision', () => {
  it('retries a transient failure below maxAttempts', () => {
    expect(retryDecision({ attempts: 1, errorCode: 'GRAPH_THROTTLED' }, config)).toBe('retry');
  });

  it('parks at maxAttempts', () => {
    expect(retryDecision({ attempts: 3, errorCode: 'GRAPH_THROTTLED' }, config)).toBe('park');
  });

  it('retries at maxAttempts - 1', () => {
    expect(retryDecision({ attempts: 2, errorCode: 'GRAPH_UNAVAILABLE' }, config)).toBe('retry');
  });

  it.each(['GRAPH_PHONE_INVALID', 'PHONE_CONFLICT', 'GRAPH_BAD_REQUEST', 'GRAPH_USER_NOT_FOUND', 'ROW_CORRUPT'])('parks %s at the first failure', (errorCode) => {
    expect(retryDecision({ attempts: 1, errorCode }, config)).toBe('park');
  });

  it.each(['GRAPH_PERMISSION_MISSING', 'GRAPH_AUTH_FAILED', 'PREFLIGHT_FAILED', 'INTERNAL', 'GRAPH_PHONE_DUPLICATE'])(
    'retries %s (not the user fault, or re-decided next run) until maxAttempts',
    (errorCode) => {
      expect(retryDecision({ attempts: 1, errorCode }, config)).toBe('retry');
      expect(retryDecision({ attempts: 3, errorCode }, config)).toBe('park');
    },
  );

  it('retries a code the table does not know', () => {
    expect(retryDecision({ attempts: 1, errorCode: 'SOMETHING_NEW' }, config)).toBe('retry');
  });

  it('parks at once only codes the table marks not retryable', () => {
    for (const code of parkAtOnceCodes) expect(errorCodes[code].retryable).toBe(false);
  });

  it('retries these not-retryable codes on purpose (a new not-retryable code must be decided here and in parkAtOnceCodes)', () => {
    const notRetryableButRetried = (Object.keys(errorCodes) as ErrorCode[]).filter((code) => !errorCodes[code].retryable && !parkAtOnceCodes.has(code));
    expect(notRetryableButRetried.sort()).toEqual(
      [
        'BREAK_GLASS_MISSING',
        'BREAK_GLASS_UNRESOLVED',
        'CONFIG_INVALID',
        'CSV_INVALID',
        'GRAPH_AUTH_FAILED',
        'GRAPH_NOT_FOUND',
        'GRAPH_PERMISSION_MISSING',
        'GRAPH_PHONE_DUPLICATE',
        'INTERNAL',
        'OUTPUT_UNWRITABLE',
        'INPUT_UNREADABLE',
        'PREFLIGHT_FAILED',
        'ROLLOUT_HALTED',
        'TABLE_AUTH_FAILED',
        // mfa-rollout issue-tap's answer to the operator, never a user's recorded failure
        'TAP_LIFETIME_INVALID',
        'USAGE_INVALID',
        'SETUP_NOT_FOUND',
        'USERS_NOT_PARKED',
        'ROLLOUT_NOT_HALTED',
        'WAVE_NOT_FOUND',
        'USERS_NOT_ROLLED_BACK',
        // mfa-rollout pilot import's answer before the first roster refresh, never a user's recorded failure
        'ROSTER_EMPTY',
        // many tenants: a tenant's night refused before any user is read, never a user's recorded failure
        'TENANT_NOT_REGISTERED',
        'TENANT_NOT_CONSENTED',
        'TENANT_MESSAGE_INVALID',
      ].sort(),
    );
  });
});
