import type { Config } from '../config/configSchema.js';
import type { DirectoryUser } from './rosterUser.js';

export type RingConfig = Pick<Config, 'pilotGroupId' | 'pilotUsers' | 'rings'>;

/** The ring a user belongs to, and its place in the rollout order (0 = pilot, last = everyone). */
export interface RingAssignment {
  readonly name: string;
  readonly rank: number;
}

export const pilotRing = 'pilot';
export const everyoneRing = 'everyone';

/** Ring names in rollout order: `pilot`, the configured rings, `everyone`. */
export function ringNames(config: Pick<Config, 'rings'>): readonly string[] {
  return [pilotRing, ...config.rings.map((ring) => ring.name), everyoneRing];
}

/**
 * Builds the ring assignment once per config. First match wins:
 * 1. `pilot`: a member of `pilotGroupId`, or listed in `pilotUsers` by object id or UPN (case-insensitive);
 * 2. each ring of `config.rings` in order: `groupId` among the user's `groupIds`, or `attribute: 'department'`
 *    equal to one of `values` (case-insensitive, trimmed);
 * 3. `everyone`.
 */
export function createRingAssigner(config: RingConfig): (user: DirectoryUser) => RingAssignment {
  const pilotGroup = config.pilotGroupId?.toLowerCase();
  const pilotUsers = new Set(config.pilotUsers.map((entry) => entry.toLowerCase()));
  const pilot: RingAssignment = { name: pilotRing, rank: 0 };
  const rings = config.rings.map((ring, index) => ({
    assignment: { name: ring.name, rank: index + 1 } satisfies RingAssignment,
    groupId: ring.groupId?.toLowerCase(),
    departments: ring.attribute === 'department' ? new Set((ring.values ?? []).map(normalise)) : undefined,
  }));
  const everyone: RingAssignment = { name: everyoneRing, rank: config.rings.length + 1 };

  return (user) => {
    const groups = user.groupIds.map((groupId) => groupId.toLowerCase());
    if (pilotGroup !== undefined && groups.includes(pilotGroup)) return pilot;
    if (pilotUsers.has(user.id.toLowerCase()) || pilotUsers.has(user.userPrincipalName.toLowerCase())) return pilot;
    const department = user.department === null ? undefined : normalise(user.department);
    for (const ring of rings) {
      if (ring.groupId !== undefined && groups.includes(ring.groupId)) return ring.assignment;
      if (ring.departments !== undefined && department !== undefined && ring.departments.has(department)) return ring.assignment;
    }
    return everyone;
  };
}

/** The ring of one user. Compile with `createRingAssigner` for a whole roster. */
export function ringOf(user: DirectoryUser, config: RingConfig): RingAssignment {
  return createRingAssigner(config)(user);
}

// Bound once: a global lookup per multiplication is slow where the global object is a proxy (vm contexts, Jest).
const imul = Math.imul;

function normalise(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * The stable order of users inside a ring: cyrb53 (a public-domain 53-bit string hash, exact in a JS number) of
 * `rolloutId + NUL + lower-case user id`. It depends on nothing but the user and the rollout, so
 * - it spreads consecutive waves across departments, offices and name ranges (the directory's own order
 *   clusters them, and a wave that breaks one department's sign-in should not be the whole department),
 * - a user joining or leaving the directory does not move anybody else, so a plan is stable night to night,
 * - two rollouts (different MFA_ROLLOUT_ID) get independent orders.
 * Not cryptographic; ties (vanishingly rare) fall back to the user id. Changing this function reshuffles a
 * running rollout, so a test pins its values.
 */
export function rolloutOrderKey(rolloutId: string, userId: string): number {
  const text = `${rolloutId}\u0000${userId.toLowerCase()}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    h1 = imul(h1 ^ char, 2654435761);
    h2 = imul(h2 ^ char, 1597334677);
  }
  h1 = imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
