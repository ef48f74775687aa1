import type { Config } from '../../config/configSchema.js';
import type { MethodsPolicyTargets, MethodTargets } from '../journey/methodAvailability.js';
import type { SmsDelivery } from '../journey/journeyTypes.js';
import type { CampaignFacts, MethodKey, MethodsPolicyFacts, PolicyMigrationState, SecurityDefaultsFacts, TemporaryAccessPassFacts } from './postureFacts.js';
import type { PostureProblemCode } from './postureProblems.js';

/** The settings the posture is decided with. */
export type PostureSettings = Pick<
  Config,
  | 'strategy'
  | 'targetMethod'
  | 'smsDelivery'
  | 'smsRetirementDate'
  | 'smsRetirementDateAdmins'
  | 'campaignMode'
  | 'campaignGroupId'
  | 'phishingResistantGroupId'
  | 'retirePhoneAfterPasskey'
  | 'phoneRetiredGroupId'
  | 'acknowledgeSmsSignIn'
>;

/** The rollout's users and the members of the groups the policy names, for counting who a method reaches. */
export interface RolloutMembership {
  /** The users the rollout may enrol (present, not excluded), lower-case ids. */
  readonly userIds: readonly string[];
  /** Lower-case group id → lower-case ids of its transitive members (the groups `membershipGroupIds` names). */
  readonly groupMembers: ReadonlyMap<string, ReadonlySet<string>>;
}

/** What the shell read for the posture. */
export interface PostureInput {
  readonly methodsPolicy: MethodsPolicyFacts;
  readonly securityDefaults: SecurityDefaultsFacts;
  /** null: not known (no roster yet): then only what the policy says on its own is checked. */
  readonly rollout: RolloutMembership | null;
  /** Groups the settings name that Graph does not know. */
  readonly missingGroups: readonly { readonly setting: string; readonly groupId: string }[];
}

export type ProblemSeverity = 'blocking' | 'warning';

/** One thing wrong with the tenant for this rollout: blocking problems hold the night; warnings are shown. */
export interface PostureProblem {
  readonly code: PostureProblemCode;
  readonly severity: ProblemSeverity;
  /** What is wrong, in plain words, with counts and group ids where they help (never a phone number). */
  readonly message: string;
  /** Where to change it: the admin-center setting (or the app setting). */
  readonly fix: string;
}

/** One method configuration as the report shows it. */
export interface MethodPosture {
  /** false also when Graph's list has no such configuration. */
  readonly enabled: boolean;
  readonly present: boolean;
  readonly includesAllUsers: boolean;
  readonly includeGroupIds: readonly string[];
  readonly excludeGroupIds: readonly string[];
  /** Rollout users the configuration allows, when the rollout's users are known. */
  readonly rolloutUsersAllowed: number | null;
}

export interface CampaignPosture extends CampaignFacts {
  /**
   * What users are nudged to register: the targets' method when the campaign is enabled; when Microsoft managed,
   * passkeys if the Fido2 configuration is enabled with self-service set-up (else Authenticator); null when off.
   */
  readonly nudges: 'passkey' | 'authenticator' | null;
  /** Rollout users the campaign includes and does not exclude, when known. */
  readonly rolloutUsersIncluded: number | null;
}

/** The Temporary Access Pass policy: who may get a pass, and its lifetimes (minutes) and length. */
export interface TapPolicy
  extends Omit<MethodTargets, 'state'>,
    Pick<TemporaryAccessPassFacts, 'defaultLifetimeInMinutes' | 'minimumLifetimeInMinutes' | 'maximumLifetimeInMinutes' | 'defaultLength' | 'isUsableOnce'> {
  readonly enabled: boolean;
}

/** The SMS and voice calendar tonight (docs/graph-behaviour.md#sms-and-voice-retirement). */
export interface SmsCalendar {
  readonly delivery: SmsDelivery;
  readonly retirementDate: string;
  readonly retirementDateAdmins: string;
  /** Whole days from today (UTC) to each date; 0 on the day, negative after. */
  readonly daysLeft: number;
  readonly daysLeftAdmins: number;
  /** A phone pre-registration makes a user MFA-capable tonight (customer-managed delivery, or before the date). */
  readonly bridgeOpen: boolean;
  readonly bridgeOpenAdmins: boolean;
  /** One line for the plan and the report: which mode is in force. */
  readonly summary: string;
}

/** Everything the night, the preflight command and the report need to know about the tenant's methods. */
export interface TenantPosture {
  /** The night's clock when the posture was decided (ISO 8601). */
  readonly decidedAt: string;
  /** For the journey's methodAvailability. */
  readonly targets: MethodsPolicyTargets;
  readonly methods: Readonly<Record<MethodKey, MethodPosture>>;
  /** Sms include targets usable for sign-in (SMS as a primary method), by id (`all_users` or a group). */
  readonly smsSignInTargetIds: readonly string[];
  readonly fido2SelfServiceRegistration: boolean;
  readonly passkeyProfiles: number;
  readonly campaign: CampaignPosture;
  readonly temporaryAccessPass: TapPolicy | null;
  readonly securityDefaults: boolean;
  readonly policyMigrationState: PolicyMigrationState;
  readonly policySizeBytes: number;
  readonly sms: SmsCalendar;
  /** Rollout users counted (null: not known). */
  readonly rolloutUsers: number | null;
  /** Group ids the policy's targets and the settings name: the roster refresh reads their members for the journey. */
  readonly membershipGroupIds: readonly string[];
  readonly problems: readonly PostureProblem[];
  /** A blocking problem exists: the night is held and writes nothing. */
  readonly blocked: boolean;
}
