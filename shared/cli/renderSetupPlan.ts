import type { PasskeySetupPlan, SetupTarget } from '../core/posture/planPasskeySetup.js';
import type { RestorePlan } from '../core/posture/planSetupRestore.js';
import type { PolicyTarget } from '../core/posture/postureFacts.js';
import type { TenantPosture } from '../core/posture/postureTypes.js';

const targetNames: Readonly<Record<SetupTarget, string>> = {
  campaign: 'Registration campaign',
  sms: 'SMS',
  voice: 'Voice call',
  fido2: 'Passkey (FIDO2)',
  microsoftAuthenticator: 'Microsoft Authenticator',
  temporaryAccessPass: 'Temporary Access Pass',
};

/** A property value as one short text: target lists as `id (method)`, `[]` when empty. */
function shown(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return (value as PolicyTarget[]).map((target) => (target.targetedAuthenticationMethod === undefined ? target.id : `${target.id} (${target.targetedAuthenticationMethod})`)).join(', ');
  }
  return String(value);
}

function verdict(posture: TenantPosture): string {
  if (!posture.blocked) return `Preflight: passed${posture.problems.length === 0 ? '' : ` (warnings: ${posture.problems.map((problem) => problem.code).join(', ')})`}.`;
  const blocking = posture.problems.filter((problem) => problem.severity === 'blocking').map((problem) => problem.code);
  return `Preflight: BLOCKED by ${blocking.join(', ')} (see \`mfa-rollout preflight\`).`;
}

/** The before/after difference of a setup, what it leaves, and the outcome. */
export function renderSetupPlan(plan: PasskeySetupPlan, outcome: { readonly applied: boolean; readonly setupId: string | null; readonly posture: TenantPosture }): string {
  const lines: string[] = [];
  if (plan.writes.length === 0) lines.push('Nothing to change.');
  for (const write of plan.writes) {
    lines.push(`${targetNames[write.target]}:`);
    for (const change of write.changes) lines.push(`  - ${change}`);
    for (const property of Object.keys(write.after)) lines.push(`    ${property}: ${shown(write.before[property])} -> ${shown(write.after[property])}`);
  }
  if (plan.left.length > 0) {
    lines.push('Left as it is:');
    for (const note of plan.left) lines.push(`  - ${note}`);
  }
  if (!outcome.applied) lines.push(`Dry run: ${plan.writes.length} write(s) planned, nothing written.${plan.writes.length > 0 ? ' Run with --apply to make them.' : ''}`);
  else if (outcome.setupId !== null) lines.push(`Applied ${plan.writes.length} write(s). The before-state is recorded as ${outcome.setupId}: undo with \`mfa-rollout setup-passkeys --restore ${outcome.setupId}\`.`);
  lines.push(verdict(outcome.posture));
  return lines.join('\n');
}

/** What a restore puts back, and what it leaves because it changed since the setup. */
export function renderRestorePlan(setupId: string, plan: RestorePlan, dryRun: boolean, posture: TenantPosture): string {
  const lines: string[] = [];
  if (plan.writes.length === 0) lines.push(`Nothing of setup ${setupId} is left to restore.`);
  for (const write of plan.writes) lines.push(`${targetNames[write.target]}: ${Object.entries(write.body).map(([property, value]) => `${property} -> ${shown(value)}`).join('; ')}`);
  for (const skipped of plan.skipped) lines.push(`Left: ${targetNames[skipped.target]} ${skipped.property} changed since the setup (--force restores it anyway).`);
  lines.push(dryRun ? `Dry run: ${plan.writes.length} write(s) would restore setup ${setupId}; nothing written.` : `Restored ${plan.writes.length} write(s) of setup ${setupId}.`);
  lines.push(verdict(posture));
  return lines.join('\n');
}
