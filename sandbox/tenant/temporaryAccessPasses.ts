import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { methodsPolicyLimits, type TemporaryAccessPassConfiguration } from './methodsPolicyModel.js';
import { graphDateTime } from './tenantModel.js';

/**
 * Users' Temporary Access Passes (docs/graph-behaviour.md#temporary-access-pass). The pass itself is handed out once,
 * in the create answer, and never kept: the store holds a SHA-256 digest of it, so a test can check that the pass an
 * operator was shown is the one issued without the sandbox being able to show it again.
 */
export interface TemporaryAccessPass {
  readonly id: string;
  readonly createdDateTime: string;
  readonly startDateTime: string;
  readonly lifetimeInMinutes: number;
  readonly isUsableOnce: boolean;
  readonly digest: string;
  /** A one-time pass has been used to sign in. */
  used: boolean;
}

export type MethodUsabilityReason = 'EnabledByPolicy' | 'DisabledByPolicy' | 'Expired' | 'NotYetValid' | 'OneTimeUsed';

export interface PassUsability {
  readonly isUsable: boolean;
  readonly methodUsabilityReason: MethodUsabilityReason;
}

/**
 * Who may be given a pass: `policyScoped` is what real tenants answer (users report "Converged UserCredentialPolicy does
 * not allow…" when the TAP configuration is off or leaves the user out); `anyone` is what the Entra page says (a pass can
 * be created for anyone, only users the policy includes can sign in with it).
 */
export const temporaryAccessPassIssuances = ['policyScoped', 'anyone'] as const;
export type TemporaryAccessPassIssuance = (typeof temporaryAccessPassIssuances)[number];

export interface CreatePassRequest {
  readonly startDateTime?: string;
  readonly lifetimeInMinutes?: number;
  readonly isUsableOnce?: boolean;
}

export type CreatePassResult =
  | {
      readonly ok: true;
      readonly pass: TemporaryAccessPass;
      readonly temporaryAccessPass: string;
      /** The user had a pass, which the new one replaces. */
      readonly replaced: boolean;
      /** The pass it replaced could still have signed the user in (false when there was none, or it had expired or been used). */
      readonly replacedUsable: boolean;
    }
  | { readonly ok: false; readonly reason: 'externalGuest' | 'notAllowedByPolicy' | 'lifetimeOutOfRange' | 'lifetimeOutOfPolicy'; readonly bounds?: { readonly min: number; readonly max: number } };

export interface PassSubject {
  readonly userId: string;
  readonly isExternalGuest: boolean;
  /** The TemporaryAccessPass configuration is enabled and targets the user (tenant.methodAllowedFor). */
  readonly allowedByPolicy: boolean;
}

export interface TemporaryAccessPassStore {
  /** The user's pass (at most one), or undefined. */
  get(userId: string): TemporaryAccessPass | undefined;
  create(subject: PassSubject, request: CreatePassRequest, policy: TemporaryAccessPassConfiguration): CreatePassResult;
  /** False when the user has no pass with this id. */
  delete(userId: string, id: string): boolean;
  /** Whether `candidate` is the user's current pass (compared in constant time; nothing is consumed). */
  matches(userId: string, candidate: string): boolean;
  /** `isUsable` and `methodUsabilityReason` at `now`, as Graph computes them. */
  usability(pass: TemporaryAccessPass, allowedByPolicy: boolean): PassUsability;
  issuance(): TemporaryAccessPassIssuance;
  setIssuance(issuance: TemporaryAccessPassIssuance): void;
}

const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const lower = 'abcdefghijkmnopqrstuvwxyz';
const digits = '23456789';
const symbols = '!#$%&*+=?@';
const alphabet = `${upper}${lower}${digits}${symbols}`;

/** A pass of `length` characters from cryptographic randomness, with at least one of each kind (as Entra's look). */
function newPass(length: number): string {
  const pick = (from: string, byte: number): string => from[byte % from.length] ?? 'x';
  const bytes = randomBytes(length + 4);
  const chars = Array.from({ length }, (_, index) => pick(alphabet, bytes[index] ?? 0));
  const kinds = [upper, lower, digits, symbols];
  for (const [index, kind] of kinds.entries()) chars[(bytes[length + index] ?? index) % length] = pick(kind, bytes[index] ?? 0);
  return chars.join('');
}

const digestOf = (pass: string): string => createHash('sha256').update(pass, 'utf8').digest('hex');

/** `isUsable` and `methodUsabilityReason` of a pass at `at` (ms), as Graph computes them. */
function usabilityAt(pass: TemporaryAccessPass, allowedByPolicy: boolean, at: number): PassUsability {
  const start = Date.parse(pass.startDateTime);
  const reason: MethodUsabilityReason = !allowedByPolicy
    ? 'DisabledByPolicy'
    : at < start
      ? 'NotYetValid'
      : at >= start + pass.lifetimeInMinutes * 60_000
        ? 'Expired'
        : pass.used && pass.isUsableOnce
          ? 'OneTimeUsed'
          : 'EnabledByPolicy';
  return { isUsable: reason === 'EnabledByPolicy', methodUsabilityReason: reason };
}

export function createTemporaryAccessPassStore(now: () => Date): TemporaryAccessPassStore {
  const passes = new Map<string, TemporaryAccessPass>();
  let issuance: TemporaryAccessPassIssuance = 'policyScoped';

  return {
    get: (userId) => passes.get(userId),
    create: (subject, request, policy) => {
      if (subject.isExternalGuest) return { ok: false, reason: 'externalGuest' };
      if (!subject.allowedByPolicy && issuance === 'policyScoped') return { ok: false, reason: 'notAllowedByPolicy' };
      const lifetime = request.lifetimeInMinutes ?? policy.defaultLifetimeInMinutes;
      const { min, max } = methodsPolicyLimits.tapLifetimeMinutes;
      if (lifetime < min || lifetime > max) return { ok: false, reason: 'lifetimeOutOfRange', bounds: { min, max } };
      if (lifetime < policy.minimumLifetimeInMinutes || lifetime > policy.maximumLifetimeInMinutes) {
        return { ok: false, reason: 'lifetimeOutOfPolicy', bounds: { min: policy.minimumLifetimeInMinutes, max: policy.maximumLifetimeInMinutes } };
      }
      const created = now();
      const temporaryAccessPass = newPass(policy.defaultLength);
      const pass: TemporaryAccessPass = {
        id: randomUUID(),
        createdDateTime: created.toISOString(),
        startDateTime: graphDateTime(request.startDateTime === undefined ? created : new Date(request.startDateTime)),
        lifetimeInMinutes: lifetime,
        // the policy's one-time setting wins over the request: a multi-use pass exists only where the policy allows it
        isUsableOnce: policy.isUsableOnce || request.isUsableOnce === true,
        digest: digestOf(temporaryAccessPass),
        used: false,
      };
      const previous = passes.get(subject.userId);
      const replacedUsable = previous !== undefined && usabilityAt(previous, subject.allowedByPolicy, created.getTime()).isUsable;
      passes.set(subject.userId, pass);
      return { ok: true, pass, temporaryAccessPass, replaced: previous !== undefined, replacedUsable };
    },
    delete: (userId, id) => {
      const pass = passes.get(userId);
      if (pass === undefined || pass.id !== id.toLowerCase()) return false;
      passes.delete(userId);
      return true;
    },
    matches: (userId, candidate) => {
      const pass = passes.get(userId);
      if (pass === undefined) return false;
      return timingSafeEqual(Buffer.from(pass.digest, 'hex'), Buffer.from(digestOf(candidate), 'hex'));
    },
    usability: (pass, allowedByPolicy) => usabilityAt(pass, allowedByPolicy, now().getTime()),
    issuance: () => issuance,
    setIssuance: (next) => {
      issuance = next;
    },
  };
}
