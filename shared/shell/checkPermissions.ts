import type { Config } from '../config/configSchema.js';
import { missingPermissions, type MissingPermission } from '../core/missingPermissions.js';
import { permissionsFor } from '../adapters/graph/graphPermissions.js';
import type { RolloutPorts } from './rolloutPorts.js';

/** Whether the app holds the Graph permissions tonight's configuration needs, read from its own access token. */
export type PermissionCheck =
  | { readonly verdict: 'granted'; readonly needed: readonly string[] }
  | { readonly verdict: 'missing'; readonly needed: readonly string[]; readonly missing: readonly MissingPermission[]; readonly reason: string }
  | { readonly verdict: 'unverifiable'; readonly needed: readonly string[]; readonly detail: string };

/** The grant script's command line for this configuration (README, "Grant the Microsoft Graph permissions"). */
export function grantCommand(config: Pick<Config, 'strategy' | 'noticeMailbox' | 'noticeDays'>): string {
  const mail = config.noticeMailbox !== undefined && config.noticeDays > 0 ? ' --with-mail' : '';
  return `infra/grant-graph-permissions.sh ${config.strategy}${mail} --resource-group <rg> --identity-name <identity>`;
}

/**
 * Compares `permissionsFor(config)` with the `roles` of the app's access token (higher permissions that include a
 * needed one count: `permissionIncludedBy`). A missing permission comes with the reason a held night records: the
 * permissions by name and how to grant them. A token whose roles cannot be read is `unverifiable`: the night goes
 * on, and a call Graph refuses still fails with GRAPH_PERMISSION_MISSING naming its permission.
 */
export async function checkPermissions(config: Config, ports: Pick<RolloutPorts, 'grantedPermissions'>): Promise<PermissionCheck> {
  const needed = permissionsFor(config);
  const granted = await ports.grantedPermissions();
  if (!granted.readable) return { verdict: 'unverifiable', needed, detail: granted.detail };
  const missing = missingPermissions(needed, granted.roles);
  if (missing.length === 0) return { verdict: 'granted', needed };
  const names = missing.map((entry) => (entry.includedBy.length === 0 ? entry.permission : `${entry.permission} (or ${entry.includedBy.join(', ')})`));
  const reason =
    `the app lacks the Microsoft Graph application permission(s) ${names.join('; ')} that MFA_STRATEGY=${config.strategy} needs; ` +
    `grant them with ${grantCommand(config)} (admin consent), then wait for a new token (a managed identity's can take up to 24 h)`;
  return { verdict: 'missing', needed, missing, reason };
}
