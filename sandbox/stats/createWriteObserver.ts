import { isGraphHttpError } from '../http/GraphHttpError.js';
import type { GraphStage, RequestContext } from '../http/graphRoute.js';
import type { TenantState } from '../tenant/tenantState.js';
import type { DuplicateReason, TrafficStats } from './createTrafficStats.js';

const guidAtEnd = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})['")]*$/i;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The digits of a phone number, hashed (FNV-1a): enough to tell "the same number" without keeping it. */
function numberKey(phoneNumber: string): string {
  let hash = 0x811c9dc5;
  for (const char of phoneNumber) {
    if (char < '0' || char > '9') continue;
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/** The user id a group-membership write (`POST members/$ref`) adds: the GUID its `@odata.id` ends with. */
function addedMember(body: unknown): string | undefined {
  const reference = isRecord(body) ? body['@odata.id'] : undefined;
  return typeof reference === 'string' ? guidAtEnd.exec(reference)?.[1]?.toLowerCase() : undefined;
}

interface Pending {
  readonly reason: DuplicateReason;
  /** Decides from the answer's status whether this write duplicated an effect already in place, per user. */
  readonly settle: (status: number, context: RequestContext) => readonly string[];
}

/**
 * A pipeline stage (just before the handler) that spots duplicate writes: the same effective write landing twice for
 * a user. A successful phone method create/update with a number the user already had (or that an earlier write of
 * this run set), a successful requirements update to the state the user was already in, and adding a user to a group
 * they are already in (or were added to earlier in this run, whatever Graph answers).
 */
export function createWriteObserver(tenant: TenantState, stats: TrafficStats): GraphStage {
  const landedNumbers = new Set<string>();
  const landedMembers = new Set<string>();

  const prepare = (context: RequestContext): Pending | undefined => {
    const route = context.route;
    if (route === undefined) return undefined;
    const operation = route.operation;
    const rawUser = context.params.userId;
    const user = rawUser === undefined ? undefined : tenant.findUser(rawUser);

    if (operation === 'phoneMethods.create' || operation === 'phoneMethods.update') {
      const phoneNumber = isRecord(context.body) ? context.body.phoneNumber : undefined;
      if (user === undefined || typeof phoneNumber !== 'string') return undefined;
      const key = `${user.id}|${numberKey(phoneNumber)}`;
      const already = landedNumbers.has(key) || tenant.phoneMethods(user.id).some((existing) => numberKey(existing.phoneNumber) === numberKey(phoneNumber));
      return {
        reason: 'samePhoneNumber',
        settle: (status) => {
          if (status < 200 || status > 299) return [];
          landedNumbers.add(key);
          return already ? [user.id] : [];
        },
      };
    }

    if (operation === 'requirements.update') {
      if (user === undefined) return undefined;
      const before = tenant.perUserMfaState(user.id);
      return {
        reason: 'sameMfaState',
        settle: (status, settled) => (status >= 200 && status <= 299 && settled.audit.detail.perUserMfaState === before ? [user.id] : []),
      };
    }

    const groupId = context.params.groupId;
    if (operation === 'groups.addMember' && groupId !== undefined) {
      const member = addedMember(context.body);
      if (member === undefined) return undefined;
      const key = `${groupId.toLowerCase()}|${member}`;
      const already = landedMembers.has(key) || tenant.isGroupMember(groupId.toLowerCase(), member);
      return {
        reason: 'alreadyMember',
        settle: (status) => {
          if (status >= 200 && status <= 299) landedMembers.add(key);
          return already ? [member] : [];
        },
      };
    }
    return undefined;
  };

  return async (context, next) => {
    if (context.request.method === 'GET') return next();
    const pending = prepare(context);
    if (pending === undefined) return next();
    const report = (status: number): void => {
      for (const userId of pending.settle(status, context)) {
        stats.duplicate({
          userId,
          operation: context.route?.operation ?? 'unknown',
          reason: pending.reason,
          status,
          requestId: context.request.requestId,
        });
      }
    };
    try {
      const reply = await next();
      report(reply.status);
      return reply;
    } catch (error) {
      if (isGraphHttpError(error)) report(error.status);
      throw error;
    }
  };
}
