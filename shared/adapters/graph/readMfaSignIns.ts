import { z } from 'zod';
import type { ErrorCode } from '../../errors/errorCodes.js';
import { toRolloutError } from '../../errors/RolloutError.js';
import type { GraphGateway } from './graphGateway.js';
import { isLicenceRefusal } from './graphFailure.js';
import { graphPermissions } from './graphPermissions.js';
import { reportsLimitGroup } from './registrationReport.js';

export type MfaSignIns =
  /** User id (lower case) → ISO instant of the user's latest sign-in since `since` that satisfied MFA. A user missing had none. */
  | { readonly kind: 'available'; readonly latest: ReadonlyMap<string, string> }
  /** The sign-in log cannot be read: the tenant has no Entra ID P1/P2 (`licence`) or the app lacks AuditLog.Read.All (`permission`). */
  | { readonly kind: 'unavailable'; readonly cause: 'licence' | 'permission'; readonly errorCode: ErrorCode; readonly requestId: string | null; readonly message: string };

/** authenticationDetail values that are a second factor the user did now, not one carried over from an earlier session. */
const notASecondFactor = new Set(['password', 'previously satisfied', 'satisfied by token']);

const signInSchema = z.object({
  userId: z.string().min(1),
  createdDateTime: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
  authenticationRequirement: z.string().optional(),
  authenticationDetails: z.array(z.object({ authenticationMethod: z.string().nullable().optional(), succeeded: z.boolean().nullable().optional() })).nullable().optional(),
});

/**
 * The sign-ins that show a user completed MFA (docs/graph-behaviour.md#sign-in-activity): read ONCE per night over a
 * time window, never per user, from the beta sign-in log (v1.0 has no `authenticationRequirement`): successful
 * interactive sign-ins (the list's default) since `sinceIso` whose requirement was `multiFactorAuthentication`, with a
 * succeeded step by a second factor (not the password, not an MFA claim carried over). Pages of 1,000, spaced to the
 * reports family's limit. A missing licence or permission does not throw: it answers `unavailable` with the cause.
 */
export async function readMfaSignIns(gateway: GraphGateway, sinceIso: string, requestsPer10Seconds: number): Promise<MfaSignIns> {
  const since = new Date(sinceIso).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const filter = `createdDateTime ge ${since} and authenticationRequirement eq 'multiFactorAuthentication' and status/errorCode eq 0`;
  const latest = new Map<string, string>();
  try {
    for await (const page of gateway.pages({
      operation: 'signIns.list',
      method: 'GET',
      version: 'beta',
      path: `/auditLogs/signIns?$filter=${encodeURIComponent(filter)}&$top=1000`,
      permission: graphPermissions.readSignIns,
      minIntervalMs: Math.ceil(10_000 / requestsPer10Seconds) + 50,
      limitGroup: reportsLimitGroup,
    })) {
      for (const item of page) {
        const signIn = signInSchema.safeParse(item);
        if (!signIn.success || signIn.data.authenticationRequirement !== 'multiFactorAuthentication') continue;
        const secondFactor = (signIn.data.authenticationDetails ?? []).some((step) => step.succeeded === true && !notASecondFactor.has((step.authenticationMethod ?? 'password').toLowerCase()));
        if (!secondFactor) continue;
        const at = new Date(signIn.data.createdDateTime).toISOString();
        const userId = signIn.data.userId.toLowerCase();
        const known = latest.get(userId);
        if (known === undefined || at > known) latest.set(userId, at);
      }
    }
  } catch (caught) {
    const failure = toRolloutError(caught);
    if (failure.code !== 'GRAPH_PERMISSION_MISSING') throw failure;
    return { kind: 'unavailable', cause: isLicenceRefusal(failure.graphCode) ? 'licence' : 'permission', errorCode: failure.code, requestId: failure.requestId ?? null, message: failure.message };
  }
  return { kind: 'available', latest };
}
