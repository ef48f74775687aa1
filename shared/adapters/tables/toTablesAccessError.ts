import { isRestError } from '@azure/core-rest-pipeline';
import type { Config } from '../../config/configSchema.js';
import { RolloutError } from '../../errors/RolloutError.js';
import { toTableError } from './tableErrors.js';

type TablesConfig = Pick<Config, 'tablesConnection' | 'tablesEndpoint'>;

/** The app setting the tables are reached through. */
export function tablesSetting(config: TablesConfig): 'MFA_TABLES_CONNECTION' | 'MFA_TABLES_ENDPOINT' {
  return config.tablesConnection !== undefined ? 'MFA_TABLES_CONNECTION' : 'MFA_TABLES_ENDPOINT';
}

/** Errno-style codes are safe to show; the SDK's own message is not (it may carry a URL with a SAS token). */
function errnoOf(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof cause === 'string') return cause;
  const match = /\b(E[A-Z]{3,}|ETIMEDOUT)\b/.exec(error instanceof Error ? error.message : '');
  return match?.[1] ?? null;
}

/** @azure/identity's failures (no managed identity here, no `az login`, a token refused) arrive by name. */
function isCredentialError(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return /^(CredentialUnavailableError|AuthenticationError|AggregateAuthenticationError)$/.test(name);
}

/**
 * The first table call of every command (creating the tables) as an error an operator can act on, naming the setting:
 * a refused key or identity is TABLE_AUTH_FAILED, an unreachable account TABLE_UNAVAILABLE; never the SDK's stack.
 */
export function toTablesAccessError(error: unknown, config: TablesConfig): RolloutError {
  const setting = tablesSetting(config);
  if (isCredentialError(error)) {
    return new RolloutError('TABLE_AUTH_FAILED', `${setting}: no credential could get a Table Storage token (in Azure the function's managed identity; on a workstation, sign in with \`az login\`)`, { cause: error });
  }
  if (isRestError(error)) {
    const status = error.statusCode;
    if (status === 401 || status === 403) {
      const check = setting === 'MFA_TABLES_CONNECTION'
        ? 'check the account name and key in the connection string'
        : 'check that the identity (or your az login) has the Storage Table Data Contributor role on the storage account';
      return new RolloutError('TABLE_AUTH_FAILED', `${setting}: Table Storage refused the credentials (HTTP ${status}${error.code === undefined ? '' : ` ${error.code}`}); ${check}`, { httpStatus: status, cause: error });
    }
    if (status === undefined) {
      const errno = errnoOf(error);
      return new RolloutError('TABLE_UNAVAILABLE', `${setting}: Table Storage cannot be reached${errno === null ? '' : ` (${errno})`}; check the account or endpoint it names${setting === 'MFA_TABLES_CONNECTION' ? ' (Azurite: is it running?)' : ''}`, { cause: error });
    }
  }
  return toTableError(error, `Opening the rollout tables (${setting})`);
}
