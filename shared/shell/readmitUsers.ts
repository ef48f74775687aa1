import type { Config } from '../config/configSchema.js';
import { readmit } from '../core/journey/journeyTransitions.js';
import { isInState } from '../core/rolloutState.js';
import type { Logger } from '../log/logEvent.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { selectRosterUsers, type UserSelection } from './selectRosterUsers.js';

export interface ReadmittedUser {
  readonly userId: string;
  readonly upn: string;
  /** The wave that was rolled back for them, the rollback that undid it, and when. */
  readonly waveId: string;
  readonly rollbackWaveId: string;
  readonly rolledBackAt: string;
  /** `new`: the rollback undid their entry, so they are announced again; `active`: it undid later steps only. */
  readonly returnsTo: 'new' | 'active';
}

export interface ReadmitResult {
  readonly users: readonly ReadmittedUser[];
  readonly dryRun: boolean;
}

/**
 * `mfa-rollout readmit`: after an operator fixed what a rollback was for, returns rolled-back users to the rollout:
 * a user whose entry the rollback undid goes back to `new` (`readmit`), so the next nights announce them again with a
 * new date (MFA_NOTICE_DAYS) and enforce them in plan order, with every readiness and exclusion check as usual; a
 * user the rollback only took out of later groups (phishing-resistant, phone-retired) goes on from the steps that remain. Nothing is written to Graph here.
 * The rollback's brake on the wave size stays until `mfa-rollout resume`.
 *
 * Select the users by name (object id or UPN), every rolled-back user, or those of one rolled-back wave. Named users
 * must all be in the roster and rolled back, or nobody is readmitted (USERS_NOT_ROLLED_BACK lists every name at
 * fault). Rows are written with their ETag, as by `retry-parked`.
 */
export async function readmitUsers(config: Config, ports: RolloutPorts, logger: Logger, selection: UserSelection, dryRun: boolean): Promise<ReadmitResult> {
  const chosen = await selectRosterUsers(ports.roster, selection, {
    command: 'readmit', state: 'rolledBack', stateWord: 'rolled back', errorCode: 'USERS_NOT_ROLLED_BACK', nothingDone: 'Nobody was readmitted.', rolloutId: config.rolloutId,
  });
  const users: ReadmittedUser[] = [];
  for (const row of chosen) {
    const progress = row.user.progress;
    if (!isInState(progress, 'rolledBack')) continue;
    const next = readmit(progress);
    if (!dryRun) await ports.roster.writeProgress(row, next);
    const { rollback } = progress;
    users.push({ userId: row.user.directory.id, upn: row.user.directory.userPrincipalName, waveId: rollback.targetWaveId, rollbackWaveId: rollback.rollbackWaveId, rolledBackAt: rollback.at, returnsTo: next.state });
  }
  if (!dryRun) logger.event('users.readmitted', { rolloutId: config.rolloutId, users: users.length }, 'warn');
  return { users, dryRun };
}
