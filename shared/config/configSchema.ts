import { z } from 'zod';
import { jsonSyntaxError } from './jsonSyntaxError.js';

/**
 * Every app setting the rollout reads, in one table: its environment name, what it means, its default,
 * and how it is validated. README's settings table, local.settings.example.json and the Bicep app
 * settings are checked against this table by a test, so a setting exists here or nowhere.
 */

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item.length > 0));

const booleanSetting = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const count = new Intl.NumberFormat('en-US');

/**
 * Every issue of a number setting (not a number, not whole, out of range) gets one message: the range in words.
 * The schema-level `error` is what zod reports for each check that has no message of its own.
 */
const integer = (min: number, max: number) =>
  z.coerce.number({ error: `expected a whole number from ${count.format(min)} to ${count.format(max)}` }).int().min(min).max(max);

const decimal = (range: string, min: { value: number; inclusive: boolean }, max: number) => {
  const schema = z.coerce.number({ error: `expected a number ${range}` }).max(max);
  return min.inclusive ? schema.min(min.value) : schema.gt(min.value);
};

const fraction = decimal('above 0 and at most 1 (a share: 0.1 is 10%)', { value: 0, inclusive: false }, 1);

/** An enum setting: the allowed values, named. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `expected one of ${values.join(', ')}` });

const httpsUrl = (expected: string) => z.url({ error: expected }).refine((url) => url.startsWith('https://'), expected);

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ringExample = '[{"name":"it","groupId":"<group object id>"},{"name":"finance","attribute":"department","values":["Finance"]}]';
const ringsExpected = `expected a JSON array of rings, e.g. ${ringExample}`;

const ringSchema = z
  .strictObject(
    {
      name: z.string({ error: 'expected a ring name: 1-24 lowercase letters, digits or dashes' }).regex(/^[a-z0-9-]{1,24}$/, 'expected a ring name: 1-24 lowercase letters, digits or dashes'),
      groupId: z.string({ error: 'expected a group object id (GUID)' }).regex(guid, 'expected a group object id (GUID)').optional(),
      attribute: z.enum(['department'], { error: 'expected "department" (the one user attribute a ring can match)' }).optional(),
      values: z.array(z.string().min(1), { error: 'expected a list of non-empty strings, e.g. ["Finance"]' }).optional(),
    },
    {
      error: (issue) => issue.code === 'unrecognized_keys'
        ? `expected only the keys name, groupId, attribute and values (found ${issue.keys.map((key) => JSON.stringify(key)).join(', ')})`
        : `expected a ring object, e.g. {"name":"it","groupId":"<group object id>"}`,
    },
  )
  .refine((ring) => (ring.groupId !== undefined) !== (ring.attribute !== undefined), {
    message: 'expected a ring naming either groupId or attribute+values, not both and not neither',
  })
  .refine((ring) => ring.attribute === undefined || (ring.values !== undefined && ring.values.length > 0), {
    message: 'expected a non-empty values list for an attribute ring',
  });

const ringsSetting = z.string().transform((text, ctx) => {
  if (text.trim() === '') return [];
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const syntax = jsonSyntaxError(text);
    const where = syntax === null ? '' : ` at line ${syntax.line}, column ${syntax.column} (position ${syntax.position}): JSON needs ${syntax.expected} there`;
    ctx.addIssue({ code: 'custom', message: `${ringsExpected}; the text is not valid JSON${where}` });
    return z.NEVER;
  }
}).pipe(z.array(ringSchema, { error: ringsExpected }));

/** A calendar day `YYYY-MM-DD` that exists (no 2027-02-30). */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine((text) => {
    const time = Date.parse(`${text}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
  }, 'expected a day that exists, as YYYY-MM-DD');

const groupId = () => z.string().regex(guid, 'expected a group object id (GUID)').optional();

/** NCRONTAB as Azure Functions reads it: six fields, seconds first. */
const ncrontab = z
  .string()
  .regex(/^\S+( \S+){5}$/, 'expected an NCRONTAB expression with six fields ({second} {minute} {hour} {day} {month} {day-of-week})');

interface SettingDefinition<T extends z.ZodType = z.ZodType> {
  env: string;
  description: string;
  /** The value used when the app setting is absent, as the string an operator would type. */
  default?: string;
  schema: T;
  /** Never echoed in errors or logs. */
  secret?: boolean;
  /** A required setting: what to put there, in operator words (said when it is absent or empty). */
  required?: string;
  /** What one element of a list setting is called in errors ("ring 2"), for settings holding a JSON array. */
  itemName?: string;
}

/** What MFA_BREAK_GLASS must hold, said whenever it is missing or does not resolve. */
export const breakGlassExpected =
  'the object ids or UPNs of your emergency-access accounts, comma-separated (e.g. breakglass1@contoso.onmicrosoft.com,breakglass2@contoso.onmicrosoft.com): Microsoft recommends two cloud-only Global Administrators, and the job never runs without one';

function setting<T extends z.ZodType>(definition: SettingDefinition<T>): SettingDefinition<T> {
  return definition;
}

export const settings = {
  rolloutId: setting({ env: 'MFA_ROLLOUT_ID', default: 'default', description: 'Name of this rollout; partitions every table, so two rollouts can share a storage account.', schema: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'expected 1-40 letters, digits or dashes') }),
  waveSchedule: setting({ env: 'MFA_WAVE_SCHEDULE', default: '0 0 1 * * *', description: 'NCRONTAB schedule of the nightly wave (timer trigger binding, UTC unless WEBSITE_TIME_ZONE is set).', schema: ncrontab }),
  strategy: setting({ env: 'MFA_STRATEGY', default: 'perUserMfa', description: 'How MFA is required: `perUserMfa` (per-user state through Graph beta) or `conditionalAccessGroup` (add users to the group a CA policy targets).', schema: oneOf(['perUserMfa', 'conditionalAccessGroup']) }),
  perUserState: setting({ env: 'MFA_PER_USER_STATE', default: 'enforced', description: 'Per-user MFA state the `perUserMfa` strategy sets: `enforced`, or `enabled`, which Graph turns into `enforced` at once for a user who has an MFA method; every user the rollout reaches has one by then (it registers the mobile first), so `enabled` ends as `enforced` too and legacy clients need app passwords.', schema: oneOf(['enabled', 'enforced']) }),
  acknowledgeCaOverlap: setting({ env: 'MFA_ACK_CA_OVERLAP', default: 'false', description: 'Allow `perUserMfa` although enabled Conditional Access policies already require MFA for the same users (Microsoft advises against mixing).', schema: booleanSetting }),
  caGroupId: setting({ env: 'MFA_CA_GROUP_ID', description: 'Object id of the group the MFA Conditional Access policy includes (strategy `conditionalAccessGroup`).', schema: z.string().regex(guid, 'expected a group object id (GUID)').optional() }),

  tablesConnection: setting({ env: 'MFA_TABLES_CONNECTION', description: 'Table Storage connection string (Azurite: `UseDevelopmentStorage=true`). Use MFA_TABLES_ENDPOINT with a managed identity in Azure instead.', schema: z.string().min(1).optional(), secret: true }),
  tablesEndpoint: setting({ env: 'MFA_TABLES_ENDPOINT', description: 'Table service URL (https://<account>.table.core.windows.net), reached with the managed identity.', schema: httpsUrl('expected an https:// URL, e.g. https://<account>.table.core.windows.net').optional() }),
  tablePrefix: setting({ env: 'MFA_TABLE_PREFIX', default: 'mfa', description: 'Prefix of the table names (<prefix>Roster, <prefix>Waves, <prefix>Failures, <prefix>Lease, <prefix>Notices, <prefix>Pilot, <prefix>Posture, <prefix>Setup).', schema: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,49}$/, 'expected a letter then up to 49 letters or digits') }),

  graphBaseUrl: setting({ env: 'MFA_GRAPH_BASE_URL', default: 'https://graph.microsoft.com/', description: 'Microsoft Graph root (national clouds, or the sandbox tenant in a rehearsal). Must be https.', schema: httpsUrl('expected an https:// URL (the Graph client sends its token only over https), e.g. https://graph.microsoft.com/') }),
  authMode: setting({ env: 'MFA_AUTH_MODE', default: 'managedIdentity', description: 'How the job gets its Graph token: `managedIdentity` (in Azure, the tenant of the Function App), `federatedManagedIdentity` (in Azure, any tenant that consented to the multi-tenant app MFA_CLIENT_ID: the user-assigned managed identity MFA_MANAGED_IDENTITY_CLIENT_ID is the app\'s federated credential, no secret) or `clientSecret` (an app registration with a secret).', schema: oneOf(['managedIdentity', 'federatedManagedIdentity', 'clientSecret']) }),
  managedIdentityClientId: setting({ env: 'MFA_MANAGED_IDENTITY_CLIENT_ID', description: 'Client id of the user-assigned managed identity (absent: system-assigned).', schema: z.string().regex(guid, 'expected a client id (GUID)').optional() }),
  tenantId: setting({ env: 'MFA_TENANT_ID', description: 'Directory (tenant) id, for `clientSecret` and `federatedManagedIdentity` auth (in many-tenants mode each registered tenant\'s id, set by the registry).', schema: z.string().min(1).optional() }),
  clientId: setting({ env: 'MFA_CLIENT_ID', description: 'Application (client) id, for `clientSecret` and `federatedManagedIdentity` auth (the multi-tenant app each customer tenant consents to).', schema: z.string().min(1).optional() }),
  clientSecret: setting({ env: 'MFA_CLIENT_SECRET', description: 'Client secret, for `clientSecret` auth (prefer a Key Vault reference).', schema: z.string().min(1).optional(), secret: true }),
  authorityHost: setting({ env: 'MFA_AUTHORITY_HOST', default: 'https://login.microsoftonline.com', description: 'Microsoft Entra authority for `clientSecret` auth (national clouds, or the sandbox tenant).', schema: httpsUrl('expected an https:// URL, e.g. https://login.microsoftonline.com') }),
  extraCaFile: setting({ env: 'MFA_EXTRA_CA_FILE', description: 'PEM file of an extra trusted certificate authority (a TLS-inspecting proxy, or the sandbox tenant). TLS checks stay on.', schema: z.string().min(1).optional() }),
  graphConcurrency: setting({ env: 'MFA_GRAPH_CONCURRENCY', default: '8', description: 'Graph requests in flight at once (p-limit).', schema: integer(1, 64) }),
  graphMaxAttempts: setting({ env: 'MFA_GRAPH_MAX_ATTEMPTS', default: '6', description: 'Attempts per Graph call (or batch item) before it counts as failed.', schema: integer(1, 20) }),
  graphRetryBudget: setting({ env: 'MFA_GRAPH_RETRY_BUDGET', default: '2000', description: 'Retries one run may spend in total before it stops retrying (guards against retry storms).', schema: integer(0, 1_000_000) }),
  graphTimeoutSeconds: setting({ env: 'MFA_GRAPH_TIMEOUT_SECONDS', default: '30', description: 'A Graph call that has not answered in this time is abandoned: a read is retried, a write is read back (it may have landed) and never sent again blind.', schema: integer(1, 300) }),
  graphMaxRetryAfterSeconds: setting({ env: 'MFA_GRAPH_MAX_RETRY_AFTER_SECONDS', default: '180', description: 'Longest Retry-After the job waits for; longer answers fail the call for this night.', schema: integer(1, 3600) }),
  graphUseBatch: setting({ env: 'MFA_GRAPH_USE_BATCH', default: 'true', description: 'Group calls into JSON $batch requests of up to 20.', schema: booleanSetting }),
  graphWritesPerSecond: setting({ env: 'MFA_GRAPH_WRITES_PER_SECOND', default: '20', description: "Graph's documented sustained write rate per app and tenant (3,000 per 150 s = 20/s). The pacer plans 97 % of it after a burst of 97 % of MFA_GRAPH_WRITE_QUOTA, and slows down on 429s; it never relies on a throttling header.", schema: decimal('above 0, at most 10,000', { value: 0, inclusive: false }, 10_000) }),
  graphWriteQuota: setting({ env: 'MFA_GRAPH_WRITE_QUOTA', default: '3000', description: "Graph's documented writes per app and tenant in one quota window (3,000 per 150 s): the largest burst the pacer allows itself.", schema: integer(1, 1_000_000) }),
  graphAppWriteQuota: setting({ env: 'MFA_GRAPH_APP_WRITE_QUOTA', default: '35000', description: "Many tenants: Graph's documented writes per app across all tenants in one window (35,000 per 5 min). Each tenant night writing at the same moment takes an equal part of it, 97 % planned, counted through the writers' register (<prefix>Writers), on top of its own tenant's quota. One app registration per deployment: another deployment of the same app does not see this one's writers.", schema: integer(1, 10_000_000) }),
  graphAppWriteWindowSeconds: setting({ env: 'MFA_GRAPH_APP_WRITE_WINDOW_SECONDS', default: '300', description: "Many tenants: the window of MFA_GRAPH_APP_WRITE_QUOTA (300 s = 5 min); a night renews its part every third of it (1 to 5 s).", schema: integer(1, 86_400) }),
  reportRequestsPer10Seconds: setting({ env: 'MFA_REPORT_REQUESTS_PER_10_SECONDS', default: '5', description: 'Pace of the registration-report calls (userRegistrationDetails). Microsoft has published 5 per 10 s and 1,000 per 20 s for this family; the default is the conservative one.', schema: decimal('above 0, at most 1,000', { value: 0, inclusive: false }, 1000) }),
  userPageSize: setting({ env: 'MFA_USER_PAGE_SIZE', default: '999', description: '$top of the roster refresh user pages (Graph allows 1-999).', schema: integer(1, 999) }),

  breakGlass: setting({ env: 'MFA_BREAK_GLASS', description: 'Comma-separated object ids or UPNs of the emergency-access accounts. Required: the job refuses to start without one, or when one does not resolve to a user. They are never written to.', schema: commaList, required: breakGlassExpected }),
  exclusionGroupId: setting({ env: 'MFA_EXCLUSION_GROUP_ID', description: 'Object id of a group whose members are never enrolled.', schema: z.string().regex(guid, 'expected a group object id (GUID)').optional() }),
  excludeUpnPatterns: setting({ env: 'MFA_EXCLUDE_UPN_PATTERNS', default: 'Sync_*,ADToAADSyncServiceAccount*', description: 'Comma-separated UPN patterns (`*` wildcard, case-insensitive) of service accounts to keep out; the default covers Entra Connect sync accounts.', schema: commaList }),
  pilotGroupId: setting({ env: 'MFA_PILOT_GROUP_ID', description: 'Object id of the pilot group; its members form the first ring.', schema: z.string().regex(guid, 'expected a group object id (GUID)').optional() }),
  pilotUsers: setting({ env: 'MFA_PILOT_USERS', default: '', description: 'Comma-separated UPNs or object ids of pilot users (added to the pilot group, if any).', schema: commaList }),
  rings: setting({ env: 'MFA_RINGS', default: '[]', description: 'JSON array of ordered rings after the pilot: `{"name":"it","groupId":"<guid>"}` or `{"name":"finance","attribute":"department","values":["Finance"]}`. Everyone else follows.', schema: ringsSetting, itemName: 'ring' }),
  allowCloudOnly: setting({ env: 'MFA_ALLOW_CLOUD_ONLY', default: 'false', description: 'Also enrol cloud-only (not synced) users.', schema: booleanSetting }),
  defaultPhoneRegion: setting({ env: 'MFA_DEFAULT_PHONE_REGION', description: 'ISO country (e.g. SE) for synced mobile numbers written without a country code. Absent: such numbers are not ready.', schema: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter ISO country code in capitals').optional() }),
  overwriteConflictingPhone: setting({ env: 'MFA_OVERWRITE_CONFLICTING_PHONE', default: 'false', description: 'Replace an existing mobile phone method that differs from the synced number (otherwise the user is flagged as a conflict).', schema: booleanSetting }),
  requireDirectorySync: setting({ env: 'MFA_REQUIRE_DIRECTORY_SYNC', default: 'true', description: 'Hold the night unless the tenant reports directory sync on and recent. Set false for a cloud-only tenant.', schema: booleanSetting }),
  maxSyncAgeMinutes: setting({ env: 'MFA_MAX_SYNC_AGE_MINUTES', default: '120', description: 'Oldest acceptable tenant-wide last directory sync (Entra Connect syncs every 30 min).', schema: integer(30, 10_080) }),

  waveSize: setting({ env: 'MFA_WAVE_SIZE', default: '50', description: 'Users in the first wave after the pilot.', schema: integer(1, 100_000) }),
  waveGrowth: setting({ env: 'MFA_WAVE_GROWTH', default: '2', description: 'Factor the wave size grows by after a clean wave.', schema: decimal('from 1 to 10 (2 doubles the wave after each clean night)', { value: 1, inclusive: true }, 10) }),
  maxWaveSize: setting({ env: 'MFA_MAX_WAVE_SIZE', default: '2000', description: 'Largest wave: the ramp-up stops growing here.', schema: integer(1, 100_000) }),
  warnFailureRate: setting({ env: 'MFA_WARN_FAILURE_RATE', default: '0.02', description: 'Failure share above which the next wave does not grow.', schema: fraction }),
  haltFailureRate: setting({ env: 'MFA_HALT_FAILURE_RATE', default: '0.1', description: 'Failure share that halts a wave (after MFA_HALT_MIN_ATTEMPTS users).', schema: fraction }),
  haltMinAttempts: setting({ env: 'MFA_HALT_MIN_ATTEMPTS', default: '20', description: 'Users attempted before the halt rule may trip.', schema: integer(1, 100_000) }),
  autoResumeAfterNights: setting({ env: 'MFA_AUTO_RESUME_AFTER_NIGHTS', default: '0', description: 'Nights after a halt before waves resume on their own; 0 means only `mfa-rollout resume` resumes.', schema: integer(0, 365) }),
  maxAttempts: setting({ env: 'MFA_MAX_ATTEMPTS', default: '3', description: 'Nights a failed user is retried before it is parked for a person.', schema: integer(1, 50) }),
  noticeDays: setting({ env: 'MFA_NOTICE_DAYS', default: '3', description: 'Days between announcing a user and enforcing them; 0 switches announcements off.', schema: integer(0, 90) }),
  noticeRecipientsPerDay: setting({ env: 'MFA_NOTICE_RECIPIENTS_PER_DAY', default: '9000', description: 'Notices MFA_NOTICE_MAILBOX may send in any 24 hours (one recipient each). Exchange Online stops a mailbox at 10,000 recipients a day without an error Graph returns, so keep room for its other mail; notices over it wait for a later night.', schema: integer(1, 10_000) }),
  noticeMailbox: setting({ env: 'MFA_NOTICE_MAILBOX', description: 'UPN or id of the mailbox that mails the announcement (Graph sendMail). Absent: notices are only listed for export.', schema: z.string().min(3, 'expected the UPN or object id of a mailbox').optional() }),
  verifyAfterDays: setting({ env: 'MFA_VERIFY_AFTER_DAYS', default: '2', description: 'Days after MFA is required of a user before the night first looks in the sign-in log for their MFA (then once a week until it is seen); 0: the first night after. MFA-capable is not waited for: MFA is required only of a user whose live methods hold one they can use.', schema: integer(0, 90) }),
  stuckAfterDays: setting({ env: 'MFA_STUCK_AFTER_DAYS', default: '14', description: 'Days after enforcement after which a user still without the target method (on the phone track: no sign-in that satisfied MFA in the beta sign-in log) is listed as stuck.', schema: integer(1, 365) }),
  timeBudgetMinutes: setting({ env: 'MFA_TIME_BUDGET_MINUTES', default: '50', description: 'The wave stops cleanly after this long; keep it under host.json functionTimeout (60 min) with a margin.', schema: integer(1, 1440) }),
  multiTenant: setting({ env: 'MFA_MULTI_TENANT', default: 'false', description: 'Many tenants from one deployment: the nightly timer enqueues one message per enabled tenant of the registry (<prefix>Tenants, `mfa-rollout tenants`) that is due, on MFA_TENANT_QUEUE, and the queue-triggered `tenantNight` runs each tenant\'s night with its own settings, tables partition and lease. false: one tenant, as the settings say.', schema: booleanSetting }),
  tenantQueue: setting({ env: 'MFA_TENANT_QUEUE', default: 'mfa-tenant-nights', description: 'Storage queue of the many-tenants fan-out, on the Functions host\'s storage (AzureWebJobsStorage); a message that fails host.json maxDequeueCount times moves to <name>-poison.', schema: z.string().regex(/^(?=.{3,56}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/, 'expected a queue name: 3-56 lowercase letters, digits or single dashes, starting and ending with a letter or digit (the poison queue adds -poison)') }),
  startWindowMinutes: setting({ env: 'MFA_START_WINDOW_MINUTES', default: '240', description: 'Many tenants: how long after its MFA_WAVE_SCHEDULE time a tenant\'s night may still start. The fan-out enqueues a tenant from its scheduled time until then; a message that arrives later is dropped as late (the next night runs as usual).', schema: integer(1, 720) }),
  leaseSeconds: setting({ env: 'MFA_LEASE_SECONDS', default: '300', description: 'Run lease length; renewed while a wave runs, taken over when a dead run lets it expire.', schema: integer(15, 3600) }),

  targetMethod: setting({ env: 'MFA_TARGET_METHOD', default: 'passkey', description: 'What each wave moves users to: `passkey` (the registration campaign nudges a passkey; then the phishing-resistant and phone-retired steps), `authenticator` (Microsoft Authenticator, for devices that cannot hold a passkey; no phishing-resistant step) or `phone` (the pre-registered phone as the destination, as before: ends with Microsoft\'s SMS and voice delivery).', schema: z.enum(['passkey', 'authenticator', 'phone']) }),
  smsDelivery: setting({ env: 'MFA_SMS_DELIVERY', default: 'microsoft', description: 'Who delivers SMS and voice codes: `microsoft` (retired on the retirement date: until then a pre-registered phone is a bridge to the target method, from then on no phone is pre-registered) or `customerManaged` (a telephony provider configured in the Entra admin center, which Graph cannot see: the phone bridge goes on; SMS sign-in still retires).', schema: z.enum(['microsoft', 'customerManaged']) }),
  smsRetirementDate: setting({ env: 'MFA_SMS_RETIREMENT_DATE', default: '2027-02-01', description: 'Day (YYYY-MM-DD, UTC) from which Microsoft no longer delivers SMS and voice codes, except to Global Administrators and external users.', schema: day }),
  smsRetirementDateAdmins: setting({ env: 'MFA_SMS_RETIREMENT_DATE_ADMINS', description: 'The same day for Global Administrators and external users. Absent: MFA_SMS_RETIREMENT_DATE. One revision of Microsoft\'s FAQ gives them until 2027-07-01 while its concept page says 2027-02-01 for everyone; keep the earlier day until the pages agree. Not before MFA_SMS_RETIREMENT_DATE.', schema: day.optional() }),
  campaignMode: setting({ env: 'MFA_CAMPAIGN_MODE', default: 'waves', description: 'How users are nudged to register: `waves` (the registration campaign targets MFA_CAMPAIGN_GROUP_ID, which each wave joins) or `microsoftManaged` (the campaign is left as Microsoft set it; the waves pace verification, enforcement and SMS retirement).', schema: z.enum(['waves', 'microsoftManaged']) }),
  campaignGroupId: setting({ env: 'MFA_CAMPAIGN_GROUP_ID', description: 'Object id of the rolling campaign group each wave joins; the registration campaign and the Passkey (FIDO2) or Authenticator method include it. Required in `waves` mode on the passkey and authenticator tracks.', schema: groupId() }),
  phishingResistantGroupId: setting({ env: 'MFA_PHISHING_RESISTANT_GROUP_ID', description: 'Object id of the group users with a passkey join, which an enabled Conditional Access policy requires the Phishing-resistant MFA strength of. Absent: no phishing-resistant step. Passkey track only.', schema: groupId() }),
  retirePhoneAfterPasskey: setting({ env: 'MFA_RETIRE_PHONE_AFTER_PASSKEY', default: 'true', description: 'Once a user has the target method, add them to MFA_PHONE_RETIRED_GROUP_ID, which the SMS and Voice methods exclude (their phone method is never deleted). Passkey and authenticator tracks.', schema: booleanSetting }),
  phoneRetiredGroupId: setting({ env: 'MFA_PHONE_RETIRED_GROUP_ID', description: 'Object id of the group the SMS and Voice method configurations exclude. Required while MFA_RETIRE_PHONE_AFTER_PASSKEY=true on the passkey and authenticator tracks.', schema: groupId() }),
  passkeyNudgeDays: setting({ env: 'MFA_PASSKEY_NUDGE_DAYS', default: '14', description: 'Days after joining the campaign after which a user still without the target method is listed as a straggler for the helpdesk.', schema: integer(1, 365) }),
  deadlineWarningDays: setting({ env: 'MFA_DEADLINE_WARNING_DAYS', default: '30', description: 'Days before a user\'s SMS retirement date from which a user still on SMS or voice only is listed by name.', schema: integer(0, 365) }),
  checksPerNight: setting({ env: 'MFA_CHECKS_PER_NIGHT', default: '10000', description: 'Live method checks per night of users already in the track (longest unchecked and most urgent first).', schema: integer(0, 1_000_000) }),
  acknowledgeSmsSignIn: setting({ env: 'MFA_ACK_SMS_SIGN_IN', default: 'false', description: 'Go on although the SMS method is usable for sign-in for the rollout\'s users: pre-registering a mobile then also lets them sign in with phone number and code.', schema: booleanSetting }),
};

export type SettingKey = keyof typeof settings;

type SettingValue<K extends SettingKey> = z.output<(typeof settings)[K]['schema']>;

/** Settings whose value, when absent, is another setting's (README says "Absent: MFA_…"). */
export const defaultsFromSettings = { smsRetirementDateAdmins: 'smsRetirementDate' } as const satisfies Partial<Record<SettingKey, SettingKey>>;

/** The validated, typed configuration. Built once at start by `loadConfig`, then frozen. */
export type Config = { readonly [K in SettingKey]: K extends keyof typeof defaultsFromSettings ? NonNullable<SettingValue<K>> : SettingValue<K> };

/** Names of the settings whose value must never be printed. */
export const secretEnvNames: ReadonlySet<string> = new Set(
  Object.values(settings)
    .filter((definition) => (definition as SettingDefinition).secret === true)
    .map((definition) => definition.env),
);
