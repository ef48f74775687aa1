import type { MethodsPolicyFacts, PolicyTarget } from './postureFacts.js';
import type { SetupTarget, SetupWrite } from './planPasskeySetup.js';

/** One PATCH of a restore: the recorded before-values of the properties still as the setup left them. */
export interface RestoreWrite {
  readonly target: SetupTarget;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface RestorePlan {
  /** In reverse order of the setup's writes. */
  readonly writes: readonly RestoreWrite[];
  /** Properties changed since the setup (by someone else): left as they are unless forced. */
  readonly skipped: readonly { readonly target: SetupTarget; readonly property: string }[];
}

/** A target list compared by what identifies each target (id, type, targeted method), in any order and casing. */
function targetKeys(value: unknown): string {
  if (!Array.isArray(value)) return JSON.stringify(value);
  return (value as PolicyTarget[])
    .map((target) => `${String(target.id).toLowerCase()}|${String(target.targetType).toLowerCase()}|${String(target.targetedAuthenticationMethod ?? '').toLowerCase()}`)
    .sort()
    .join(',');
}

/** The properties a setup writes, as the policy holds them now, in the shapes the setup recorded. */
function currentValues(policy: MethodsPolicyFacts, target: SetupTarget): Readonly<Record<string, unknown>> {
  if (target === 'campaign') return { state: policy.campaign.state, includeTargets: policy.campaign.includeTargets, excludeTargets: policy.campaign.excludeTargets };
  const configuration = policy.methods[target];
  if (configuration === null) return {};
  return {
    state: configuration.enabled ? 'enabled' : 'disabled',
    includeTargets: configuration.includeTargets,
    excludeTargets: configuration.excludeTargets,
    ...(target === 'fido2' && policy.methods.fido2 !== null ? { isSelfServiceRegistrationAllowed: policy.methods.fido2.selfServiceRegistration } : {}),
  };
}

/**
 * What `setup-passkeys --restore` writes back: for each property the setup wrote, its recorded before-value, provided
 * the policy still holds what the setup wrote (someone may have changed it since: that property is skipped unless
 * `force`). Writes go in reverse order (the campaign before the method it depends on).
 */
export function planSetupRestore(writes: readonly SetupWrite[], policy: MethodsPolicyFacts, force: boolean): RestorePlan {
  const restores: RestoreWrite[] = [];
  const skipped: { target: SetupTarget; property: string }[] = [];
  for (const write of [...writes].reverse()) {
    const now = currentValues(policy, write.target);
    const body: Record<string, unknown> = {};
    for (const [property, written] of Object.entries(write.after)) {
      if (force || targetKeys(now[property]) === targetKeys(written)) body[property] = write.before[property];
      else skipped.push({ target: write.target, property });
    }
    if (Object.keys(body).length > 0) restores.push({ target: write.target, body });
  }
  return { writes: restores, skipped };
}
