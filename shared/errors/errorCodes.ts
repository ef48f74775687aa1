/**
 * Every error code the rollout can raise or record, with the hint an operator acts on.
 * One table: the union type, the failures table, the report and the README are all derived from it.
 */
export const errorCodes = {
  CONFIG_INVALID: { retryable: false, hint: 'Fix the named app setting(s) and restart; nothing was written.' },
  BREAK_GLASS_MISSING: { retryable: false, hint: 'Set MFA_BREAK_GLASS to the object ids or UPNs of your emergency-access accounts (at least one, two recommended).' },
  BREAK_GLASS_UNRESOLVED: { retryable: false, hint: 'An MFA_BREAK_GLASS entry names no user Graph knows (a typo, a deleted or renamed account): fix the entry (object ids are safest) and run again; nothing was written.' },
  LEASE_HELD: { retryable: true, hint: 'Another run holds the rollout lease; it expires on its own if that run died. No action unless it persists.' },
  SYNC_DISABLED: { retryable: true, hint: 'The tenant reports directory sync off. Fix Entra Connect, or set MFA_REQUIRE_DIRECTORY_SYNC=false for a cloud-only tenant.' },
  SYNC_STALE: { retryable: true, hint: 'The last directory sync is older than MFA_MAX_SYNC_AGE_MINUTES. Check the Entra Connect server and its scheduler.' },
  ROLLOUT_HALTED: { retryable: false, hint: 'A wave was halted by the failure-rate breaker. Read the failures, fix the cause, then run `mfa-rollout resume`.' },
  ROLLOUT_NOT_HALTED: { retryable: false, hint: '`mfa-rollout resume` found nothing to lift: no halted wave and no rollback brake since the last resume. Nothing was written.' },
  WAVE_NOT_FOUND: { retryable: false, hint: '`mfa-rollout rollback --wave` names a wave the rollout never ran; the message lists the recent wave ids (`mfa-rollout report` shows them all). Nothing was written.' },
  USERS_NOT_ROLLED_BACK: { retryable: false, hint: '`mfa-rollout readmit` named users that are not rolled back, or not in the roster; the message lists them. Nobody was readmitted.' },
  PREFLIGHT_FAILED: { retryable: false, hint: 'A strategy preflight check refused to start; the message names the check.' },
  GRAPH_THROTTLED: { retryable: true, hint: 'Graph answered 429 beyond the retry limits. The user is retried next night; lower MFA_GRAPH_CONCURRENCY if it recurs.' },
  GRAPH_UNAVAILABLE: { retryable: true, hint: 'Graph answered 503/504 beyond the retry limits. Usually transient; retried next night.' },
  GRAPH_TIMEOUT: { retryable: true, hint: 'A Graph call did not answer within MFA_GRAPH_TIMEOUT_SECONDS. Retried next night.' },
  GRAPH_RETRY_BUDGET_EXHAUSTED: { retryable: true, hint: 'The run spent its Graph retry budget (MFA_GRAPH_RETRY_BUDGET) and stopped retrying; look for a Graph incident.' },
  GRAPH_AUTH_FAILED: { retryable: false, hint: 'No token could be obtained or Graph refused it (401). Check the app registration / managed identity, and that its Graph application permissions are admin-consented.' },
  GRAPH_PERMISSION_MISSING: { retryable: false, hint: 'Graph answered 403 Authorization_RequestDenied: grant the application permission named in the message and admin-consent it.' },
  GRAPH_NOT_FOUND: { retryable: false, hint: 'Graph does not know the object a setting names (group, mailbox). Check the object id in the setting.' },
  GRAPH_USER_NOT_FOUND: { retryable: false, hint: 'Graph does not know this user any more (deleted or moved). It drops out at the next roster refresh.' },
  GRAPH_PHONE_INVALID: { retryable: false, hint: 'Graph refused the phone number format. Fix the mobile attribute in on-prem AD; the next sync picks it up.' },
  GRAPH_PHONE_DUPLICATE: { retryable: false, hint: 'A mobile phone method already exists for the user. The next run re-reads it and decides again.' },
  GRAPH_BAD_REQUEST: { retryable: false, hint: 'Graph refused the request (400). The message and request-id identify it for Microsoft support.' },
  GRAPH_MALFORMED_RESPONSE: { retryable: true, hint: 'Graph answered with a body the rollout could not read; retried next night. Persistent cases go to Microsoft with the request-id.' },
  GRAPH_UNEXPECTED: { retryable: true, hint: 'Graph answered with an unexpected status; see the message and request-id.' },
  USER_NOT_READY: { retryable: true, hint: 'At write time the user had neither a valid synced mobile nor an MFA method (their data changed since planning); nothing was enforced. The next refresh re-evaluates them.' },
  PHONE_CONFLICT: { retryable: false, hint: 'The user already has a different mobile phone method than the synced number; it is never overwritten unless MFA_OVERWRITE_CONFLICTING_PHONE=true.' },
  TABLE_CONFLICT: { retryable: true, hint: 'A table row changed under the run (ETag mismatch); the row is re-read on the next run.' },
  TABLE_UNAVAILABLE: { retryable: true, hint: 'Table Storage could not be reached; check the storage account and MFA_TABLES_* settings.' },
  TABLE_AUTH_FAILED: { retryable: false, hint: 'Table Storage refused the credentials: check the account key in MFA_TABLES_CONNECTION, or with MFA_TABLES_ENDPOINT the identity (or your az login) and its Storage Table Data Contributor role.' },
  ROW_CORRUPT: { retryable: false, hint: 'A roster row could not be read (unknown state or missing field). It is skipped; inspect it in the roster table.' },
  USERS_NOT_PARKED: { retryable: false, hint: '`mfa-rollout retry-parked` named users that are not parked, or not in the roster; the message lists them. Nothing was released.' },
  USAGE_INVALID: { retryable: false, hint: 'The command line is not one the command takes; `mfa-rollout <command> --help` shows its usage. Nothing was done.' },
  OUTPUT_UNWRITABLE: { retryable: false, hint: 'A file the command was asked to write cannot be written: create the folder or choose a writable path. The rest of the output was printed.' },
  INPUT_UNREADABLE: { retryable: false, hint: 'A file the command was given cannot be read: check the path the message names (and that it is a file you may read). Nothing was done.' },
  SETUP_NOT_FOUND: { retryable: false, hint: '`mfa-rollout setup-passkeys --restore` named a setup id this rollout never recorded; the id is printed by `--apply`.' },
  CSV_INVALID: { retryable: false, hint: 'The CSV file cannot be imported as it is: the message names what is wrong (its rows by line, or a list longer than one import takes). Nothing was imported.' },
  ROSTER_EMPTY: { retryable: false, hint: 'The roster table holds no users yet, so a list of users cannot be checked against it: run `mfa-rollout plan` (which refreshes the roster from Graph), then run the command again. Nothing was imported.' },
  TAP_LIFETIME_INVALID: { retryable: false, hint: '`mfa-rollout issue-tap --lifetime` must lie within the Temporary Access Pass policy\'s minimum and maximum (the message names them); leave it out for the policy\'s default. No pass was issued.' },
  TIME_BUDGET_REACHED: { retryable: true, hint: 'The wave stopped before the function timeout; the rest continues next night.' },
  RUN_INTERRUPTED: { retryable: true, hint: 'A run stopped mid-write for this user (crash, timeout or host recycle). The next run read Graph, found the write not done, and retries it.' },
  TENANT_NOT_REGISTERED: { retryable: false, hint: 'The tenant id is not in the tenant registry (<prefix>Tenants): `mfa-rollout tenants list` shows the registered ones, `mfa-rollout tenants add` registers one.' },
  TENANT_NOT_CONSENTED: { retryable: false, hint: 'Entra refused a token for this tenant: the multi-tenant app has no service principal in its directory (AADSTS7000229, AADSTS700016) or no admin consent (AADSTS65001). A Global Administrator of that tenant opens the consent URL in the message and accepts; then grant the Graph application permissions (infra/grant-graph-permissions.sh). The other tenants are not affected.' },
  TENANT_MESSAGE_INVALID: { retryable: false, hint: 'A tenant-night queue message is not {"tenantId":"<guid>","night":"YYYY-MM-DD","enqueuedAt":"<ISO instant>"}: it is refused without running anything and moves to the poison queue after host.json maxDequeueCount attempts. Find who enqueued it; `mfa-rollout fan-out` writes well-formed ones.' },
  QUEUE_UNAVAILABLE: { retryable: true, hint: 'The tenant-night queue (MFA_TENANT_QUEUE on AzureWebJobsStorage) could not be reached or refused the identity: check the storage account and the identity\'s Storage Queue Data Contributor role.' },
  INTERNAL: { retryable: false, hint: 'An unexpected error in the rollout itself; report it with the log lines around it.' },
} as const satisfies Record<string, { retryable: boolean; hint: string }>;

export type ErrorCode = keyof typeof errorCodes;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

export function operatorHint(code: string): string {
  return isErrorCode(code) ? errorCodes[code].hint : errorCodes.INTERNAL.hint;
}
