// mfa-rollout on Azure: a Function App on the Flex Consumption plan (one nightly timer job), a storage
// account for the Functions host and the rollout tables (no shared keys: everything goes through the
// user-assigned managed identity), Application Insights on a Log Analytics workspace, and log search
// alerts on the job's structured events, sent to an action group.
//
// Every app setting of shared/config/configSchema.ts is set below, either from a parameter named after
// the schema key (with the schema's default) or from a computed value. test/infra/configConsistency.test.ts
// checks that, so a setting added to the schema fails the tests until it is added here.
//
// Not compiled in this repository's CI (no Bicep compiler is available there): run `az bicep build --file
// infra/main.bicep` before deploying. See docs/deployment.md.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------
// Infrastructure parameters
// ---------------------------------------------------------------------------------------------------

@description('Azure region of every resource (must offer the Flex Consumption plan).')
param location string = resourceGroup().location

@description('Short prefix of the resource names: 2-8 lowercase letters or digits.')
@minLength(2)
@maxLength(8)
param namePrefix string = 'mfa'

@description('Memory of a Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app may scale out to. One nightly timer job needs one; the timer trigger runs once per schedule and the run lease keeps one run at a time. Regions that do not yet accept values under 40 reject the deployment: then set 40.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 1

@description('Many tenants (multiTenant): most instances the tenantNight function scales out to, so the most tenant nights at once (host.json runs one per instance: batchSize 1, newBatchThreshold 0). The timer function keeps maximumInstanceCount.')
@minValue(1)
@maxValue(1000)
param maximumTenantNightsAtOnce int = 100

@description('Days the Log Analytics workspace keeps the logs (and so the Application Insights data).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Email addresses that receive the alerts (at least one).')
@minLength(1)
param alertEmails string[]

@description('Optional webhook (e.g. a Teams or incident-tool endpoint) that also receives the alerts, in the common alert schema. Such URLs often carry a token: pass it on the command line, never in a parameters file.')
@secure()
param alertWebhookUrl string = ''

@description('Create the alert rules (disable for a throw-away test deployment).')
param alertsEnabled bool = true

@description('Tags for every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------
// mfa-rollout settings: one parameter per app setting, named after the key in configSchema.ts, with the
// schema's default. Not here: MFA_CLIENT_SECRET and MFA_TABLES_CONNECTION (secrets, and not needed in
// Azure: the managed identity reaches Graph and the tables), and the computed settings (MFA_AUTH_MODE,
// MFA_MANAGED_IDENTITY_CLIENT_ID, MFA_TABLES_ENDPOINT, MFA_TENANT_ID, MFA_CLIENT_ID): see the app settings.
// ---------------------------------------------------------------------------------------------------

@description('MFA_ROLLOUT_ID: name of this rollout; partitions every table.')
param rolloutId string = 'default'

@description('MFA_WAVE_SCHEDULE: NCRONTAB schedule of the nightly wave, six fields, in UTC (Flex Consumption ignores WEBSITE_TIME_ZONE).')
param waveSchedule string = '0 0 1 * * *'

@description('MFA_STRATEGY: how MFA is required. Grant the matching Graph permissions with infra/grant-graph-permissions.sh.')
@allowed([
  'perUserMfa'
  'conditionalAccessGroup'
])
param strategy string = 'perUserMfa'

@description('MFA_PER_USER_STATE: per-user MFA state the perUserMfa strategy sets.')
@allowed([
  'enabled'
  'enforced'
])
param perUserState string = 'enforced'

@description('MFA_ACK_CA_OVERLAP: allow perUserMfa although Conditional Access policies already require MFA.')
param acknowledgeCaOverlap bool = false

@description('MFA_CA_GROUP_ID: object id of the group the MFA Conditional Access policy includes (strategy conditionalAccessGroup).')
param caGroupId string = ''

@description('MFA_TABLE_PREFIX: prefix of the table names.')
param tablePrefix string = 'mfa'

@description('MFA_GRAPH_BASE_URL: Microsoft Graph root (national clouds).')
param graphBaseUrl string = 'https://graph.microsoft.com/'

@description('MFA_AUTHORITY_HOST: Entra authority, used by clientSecret auth only (kept for completeness).')
param authorityHost string = 'https://login.microsoftonline.com'

@description('MFA_EXTRA_CA_FILE: PEM file of an extra trusted certificate authority, a path inside the deployed package. Usually empty in Azure.')
param extraCaFile string = ''

@description('MFA_GRAPH_CONCURRENCY: Graph requests in flight at once.')
@minValue(1)
@maxValue(64)
param graphConcurrency int = 8

@description('MFA_GRAPH_MAX_ATTEMPTS: attempts per Graph call before it counts as failed.')
@minValue(1)
@maxValue(20)
param graphMaxAttempts int = 6

@description('MFA_GRAPH_RETRY_BUDGET: retries one run may spend in total.')
@minValue(0)
@maxValue(1000000)
param graphRetryBudget int = 2000

@description('MFA_GRAPH_TIMEOUT_SECONDS: a Graph call not answered in this time is abandoned and retried.')
@minValue(1)
@maxValue(300)
param graphTimeoutSeconds int = 30

@description('MFA_GRAPH_MAX_RETRY_AFTER_SECONDS: longest Retry-After the job waits for.')
@minValue(1)
@maxValue(3600)
param graphMaxRetryAfterSeconds int = 180

@description('MFA_GRAPH_USE_BATCH: group calls into JSON $batch requests.')
param graphUseBatch bool = true

@description('MFA_GRAPH_WRITES_PER_SECOND: Graph\'s documented sustained write rate per app and tenant, the pacer\'s ceiling (a decimal number, as text).')
param graphWritesPerSecond string = '20'

@description('MFA_GRAPH_WRITE_QUOTA: Graph\'s documented writes per app and tenant per quota window, the largest burst the pacer allows itself.')
@minValue(1)
@maxValue(1000000)
param graphWriteQuota int = 3000

@description('MFA_GRAPH_APP_WRITE_QUOTA: many tenants: Graph\'s documented writes per app across all tenants per window (35,000 per 5 min), shared by the tenant nights writing at once.')
@minValue(1)
@maxValue(10000000)
param graphAppWriteQuota int = 35000

@description('MFA_GRAPH_APP_WRITE_WINDOW_SECONDS: the window of MFA_GRAPH_APP_WRITE_QUOTA (300 s).')
@minValue(1)
@maxValue(86400)
param graphAppWriteWindowSeconds int = 300

@description('MFA_REPORT_REQUESTS_PER_10_SECONDS: pace of the registration-report calls (a decimal number, as text).')
param reportRequestsPer10Seconds string = '5'

@description('MFA_USER_PAGE_SIZE: $top of the roster refresh user pages.')
@minValue(1)
@maxValue(999)
param userPageSize int = 999

@description('MFA_BREAK_GLASS: comma-separated object ids or UPNs of the emergency-access accounts. Required: the job refuses to start without one.')
@minLength(1)
param breakGlass string

@description('MFA_EXCLUSION_GROUP_ID: object id of a group whose members are never enrolled.')
param exclusionGroupId string = ''

@description('MFA_EXCLUDE_UPN_PATTERNS: comma-separated UPN patterns of service accounts to keep out.')
param excludeUpnPatterns string = 'Sync_*,ADToAADSyncServiceAccount*'

@description('MFA_PILOT_GROUP_ID: object id of the pilot group.')
param pilotGroupId string = ''

@description('MFA_PILOT_USERS: comma-separated UPNs or object ids of pilot users.')
param pilotUsers string = ''

@description('MFA_RINGS: JSON array of the rings after the pilot, as text.')
param rings string = '[]'

@description('MFA_ALLOW_CLOUD_ONLY: also enrol cloud-only users.')
param allowCloudOnly bool = false

@description('MFA_DEFAULT_PHONE_REGION: ISO country for synced mobile numbers without a country code (empty: such numbers are not ready).')
param defaultPhoneRegion string = ''

@description('MFA_OVERWRITE_CONFLICTING_PHONE: replace an existing mobile phone method that differs from the synced number.')
param overwriteConflictingPhone bool = false

@description('MFA_REQUIRE_DIRECTORY_SYNC: hold the night unless directory sync is on and recent.')
param requireDirectorySync bool = true

@description('MFA_MAX_SYNC_AGE_MINUTES: oldest acceptable last directory sync.')
@minValue(30)
@maxValue(10080)
param maxSyncAgeMinutes int = 120

@description('MFA_WAVE_SIZE: users in the first wave after the pilot.')
@minValue(1)
@maxValue(100000)
param waveSize int = 50

@description('MFA_WAVE_GROWTH: factor the wave grows by after a clean wave (a decimal number, as text).')
param waveGrowth string = '2'

@description('MFA_MAX_WAVE_SIZE: largest wave.')
@minValue(1)
@maxValue(100000)
param maxWaveSize int = 2000

@description('MFA_WARN_FAILURE_RATE: failure share above which the next wave does not grow (a decimal number, as text).')
param warnFailureRate string = '0.02'

@description('MFA_HALT_FAILURE_RATE: failure share that halts a wave (a decimal number, as text).')
param haltFailureRate string = '0.1'

@description('MFA_HALT_MIN_ATTEMPTS: users attempted before the halt rule may trip.')
@minValue(1)
@maxValue(100000)
param haltMinAttempts int = 20

@description('MFA_AUTO_RESUME_AFTER_NIGHTS: nights after a halt before waves resume on their own (0: only mfa-rollout resume).')
@minValue(0)
@maxValue(365)
param autoResumeAfterNights int = 0

@description('MFA_MAX_ATTEMPTS: nights a failed user is retried before it is parked.')
@minValue(1)
@maxValue(50)
param maxAttempts int = 3

@description('MFA_NOTICE_DAYS: days between announcing a user and enforcing them (0: no announcements).')
@minValue(0)
@maxValue(90)
param noticeDays int = 3

@description('MFA_NOTICE_RECIPIENTS_PER_DAY: notices the mailbox may send in any 24 hours (Exchange Online stops at 10,000 recipients).')
@minValue(1)
@maxValue(10000)
param noticeRecipientsPerDay int = 9000

@description('MFA_NOTICE_MAILBOX: mailbox that mails the announcements (needs Mail.Send: grant with --with-mail).')
param noticeMailbox string = ''

@description('MFA_VERIFY_AFTER_DAYS: days after MFA is required of a user before the sign-in log is read for their MFA.')
@minValue(0)
@maxValue(90)
param verifyAfterDays int = 2

@description('MFA_STUCK_AFTER_DAYS: days after enforcement after which an unregistered user is listed as stuck.')
@minValue(1)
@maxValue(365)
param stuckAfterDays int = 14

@description('MFA_TIME_BUDGET_MINUTES: the wave stops cleanly after this long. At most 55: host.json functionTimeout is 60 minutes and the wave needs a margin to close.')
@minValue(1)
@maxValue(55)
param timeBudgetMinutes int = 50

@description('MFA_MULTI_TENANT: many tenants from one deployment (the registry, the queue fan-out and tenantNight). Sets MFA_AUTH_MODE=federatedManagedIdentity: give multiTenantAppClientId.')
param multiTenant bool = false

@description('MFA_TENANT_QUEUE: the storage queue of the many-tenants fan-out (created here with its -poison queue).')
@minLength(3)
@maxLength(56)
param tenantQueue string = 'mfa-tenant-nights'

@description('MFA_START_WINDOW_MINUTES: many tenants: how long after its scheduled time a tenant\'s night may still start.')
@minValue(1)
@maxValue(720)
param startWindowMinutes int = 240

@description('Many tenants: application (client) id of the multi-tenant app registration each customer tenant consents to; the managed identity becomes its federated credential (infra/federate-app.sh). Empty: single tenant.')
param multiTenantAppClientId string = ''

@description('MFA_LEASE_SECONDS: run lease length.')
@minValue(15)
@maxValue(3600)
param leaseSeconds int = 300

@description('MFA_TARGET_METHOD: what each wave moves users to (passkey, authenticator, or phone: the phone as the destination).')
@allowed([
  'passkey'
  'authenticator'
  'phone'
])
param targetMethod string = 'passkey'

@description('MFA_SMS_DELIVERY: microsoft (SMS and voice retire on the retirement date) or customerManaged (a telephony provider configured in the Entra admin center).')
@allowed([
  'microsoft'
  'customerManaged'
])
param smsDelivery string = 'microsoft'

@description('MFA_SMS_RETIREMENT_DATE: day (YYYY-MM-DD) Microsoft stops delivering SMS and voice codes.')
param smsRetirementDate string = '2027-02-01'

@description('MFA_SMS_RETIREMENT_DATE_ADMINS: the same day for Global Administrators and external users; empty: MFA_SMS_RETIREMENT_DATE.')
param smsRetirementDateAdmins string = ''

@description('MFA_CAMPAIGN_MODE: waves (the registration campaign targets the campaign group) or microsoftManaged (left as Microsoft set it).')
@allowed([
  'waves'
  'microsoftManaged'
])
param campaignMode string = 'waves'

@description('MFA_CAMPAIGN_GROUP_ID: object id of the rolling campaign group each wave joins (required in waves mode on the passkey and authenticator tracks).')
param campaignGroupId string = ''

@description('MFA_PHISHING_RESISTANT_GROUP_ID: object id of the group a Conditional Access policy requires phishing-resistant MFA of (passkey track; empty: no such step).')
param phishingResistantGroupId string = ''

@description('MFA_RETIRE_PHONE_AFTER_PASSKEY: add users with the target method to the phone-retired group.')
param retirePhoneAfterPasskey bool = true

@description('MFA_PHONE_RETIRED_GROUP_ID: object id of the group the SMS and Voice methods exclude (required while retiring phones).')
param phoneRetiredGroupId string = ''

@description('MFA_PASSKEY_NUDGE_DAYS: days after the nudge after which an unregistered user is a straggler.')
@minValue(1)
@maxValue(365)
param passkeyNudgeDays int = 14

@description('MFA_DEADLINE_WARNING_DAYS: days before the retirement date from which SMS-only users are listed by name.')
@minValue(0)
@maxValue(365)
param deadlineWarningDays int = 30

@description('MFA_CHECKS_PER_NIGHT: live method checks per night of users already in the track.')
@minValue(0)
@maxValue(1000000)
param checksPerNight int = 10000

@description('MFA_ACK_SMS_SIGN_IN: go on although SMS is usable for sign-in for the rollout\'s users.')
param acknowledgeSmsSignIn bool = false

// ---------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------

var prefix = toLower(namePrefix)
var token = toLower(uniqueString(resourceGroup().id, prefix))
var functionAppName = 'func-${prefix}-${token}'
var storageAccountName = take('st${replace(prefix, '-', '')}${token}', 24) // 3-24 lowercase letters and digits
var deploymentContainerName = 'app-package'
// The function name registered in functions/nightlyWave.ts (the `requests` rows carry it).
var timerFunctionName = 'nightlyWave'

// Built-in Azure RBAC role definitions (fixed ids, the same in every tenant).
var storageRoles = [
  {
    name: 'Storage Blob Data Owner'
    id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Functions host (AzureWebJobsStorage: timer status, locks) and the deployment package
  }
  {
    name: 'Storage Queue Data Contributor'
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Functions host (AzureWebJobsStorage)
  }
  {
    name: 'Storage Table Data Contributor'
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // the rollout tables, through MFA_TABLES_ENDPOINT
  }
]
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

// ---------------------------------------------------------------------------------------------------
// Identity, storage, monitoring
// ---------------------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-${prefix}-${token}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false // identity-based connections only: AzureWebJobsStorage__*, the deployment package and MFA_TABLES_ENDPOINT
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  // Many tenants: the fan-out's queue, and the poison queue the Functions host moves a message to after
  // host.json maxDequeueCount failed tries (created here so the alert and an operator find it before the first).
  resource queueService 'queueServices' = {
    name: 'default'

    resource tenantNightsQueue 'queues' = if (multiTenant) {
      name: tenantQueue
    }

    resource tenantNightsPoisonQueue 'queues' = if (multiTenant) {
      name: '${tenantQueue}-poison'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    name: guid(storage.id, identity.id, role.id)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      description: 'mfa-rollout: ${role.name}'
    }
  }
]

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: 'log-${prefix}-${token}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${prefix}-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true // ingestion with the managed identity only (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)
  }
}

resource appInsightsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, monitoringMetricsPublisherRoleId)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'mfa-rollout: Monitoring Metrics Publisher (telemetry with Entra ID auth)'
  }
}

// ---------------------------------------------------------------------------------------------------
// Function App (Flex Consumption)
// ---------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: 'plan-${prefix}-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: multiTenant ? maximumTenantNightsAtOnce : maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// The whole app settings collection: a deployment replaces settings changed by hand in the portal.
// Flex Consumption sets the runtime in functionAppConfig: no FUNCTIONS_WORKER_RUNTIME or
// FUNCTIONS_EXTENSION_VERSION here (the plan rejects them).
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'appsettings'
  dependsOn: [
    storageRoleAssignments
    appInsightsPublisher
  ]
  properties: {
    // Functions host: storage and telemetry through the user-assigned identity.
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'

    // mfa-rollout (shared/config/configSchema.ts). Computed:
    MFA_AUTH_MODE: multiTenant ? 'federatedManagedIdentity' : 'managedIdentity'
    MFA_MANAGED_IDENTITY_CLIENT_ID: identity.properties.clientId
    MFA_TABLES_ENDPOINT: 'https://${storage.name}.table.${environment().suffixes.storage}'
    MFA_TENANT_ID: tenant().tenantId // informational: only clientSecret auth reads it
    MFA_CLIENT_ID: multiTenantAppClientId // many tenants: the multi-tenant app; single tenant: unused (no app registration)
    // Intentionally absent (the consistency test lists them): MFA_CLIENT_SECRET and MFA_TABLES_CONNECTION,
    // both secrets that Azure does not need; never put them in parameters or app settings here.

    // From parameters. Booleans are written as 'true'/'false' explicitly: ARM's string(true) is 'True',
    // which the job's settings schema refuses.
    MFA_ROLLOUT_ID: rolloutId
    MFA_WAVE_SCHEDULE: waveSchedule
    MFA_STRATEGY: strategy
    MFA_PER_USER_STATE: perUserState
    MFA_ACK_CA_OVERLAP: acknowledgeCaOverlap ? 'true' : 'false'
    MFA_CA_GROUP_ID: caGroupId
    MFA_TABLE_PREFIX: tablePrefix
    MFA_GRAPH_BASE_URL: graphBaseUrl
    MFA_AUTHORITY_HOST: authorityHost
    MFA_EXTRA_CA_FILE: extraCaFile
    MFA_GRAPH_CONCURRENCY: string(graphConcurrency)
    MFA_GRAPH_MAX_ATTEMPTS: string(graphMaxAttempts)
    MFA_GRAPH_RETRY_BUDGET: string(graphRetryBudget)
    MFA_GRAPH_TIMEOUT_SECONDS: string(graphTimeoutSeconds)
    MFA_GRAPH_MAX_RETRY_AFTER_SECONDS: string(graphMaxRetryAfterSeconds)
    MFA_GRAPH_USE_BATCH: graphUseBatch ? 'true' : 'false'
    MFA_GRAPH_WRITES_PER_SECOND: graphWritesPerSecond
    MFA_GRAPH_WRITE_QUOTA: string(graphWriteQuota)
    MFA_GRAPH_APP_WRITE_QUOTA: string(graphAppWriteQuota)
    MFA_GRAPH_APP_WRITE_WINDOW_SECONDS: string(graphAppWriteWindowSeconds)
    MFA_REPORT_REQUESTS_PER_10_SECONDS: reportRequestsPer10Seconds
    MFA_USER_PAGE_SIZE: string(userPageSize)
    MFA_BREAK_GLASS: breakGlass
    MFA_EXCLUSION_GROUP_ID: exclusionGroupId
    MFA_EXCLUDE_UPN_PATTERNS: excludeUpnPatterns
    MFA_PILOT_GROUP_ID: pilotGroupId
    MFA_PILOT_USERS: pilotUsers
    MFA_RINGS: rings
    MFA_ALLOW_CLOUD_ONLY: allowCloudOnly ? 'true' : 'false'
    MFA_DEFAULT_PHONE_REGION: defaultPhoneRegion
    MFA_OVERWRITE_CONFLICTING_PHONE: overwriteConflictingPhone ? 'true' : 'false'
    MFA_REQUIRE_DIRECTORY_SYNC: requireDirectorySync ? 'true' : 'false'
    MFA_MAX_SYNC_AGE_MINUTES: string(maxSyncAgeMinutes)
    MFA_WAVE_SIZE: string(waveSize)
    MFA_WAVE_GROWTH: waveGrowth
    MFA_MAX_WAVE_SIZE: string(maxWaveSize)
    MFA_WARN_FAILURE_RATE: warnFailureRate
    MFA_HALT_FAILURE_RATE: haltFailureRate
    MFA_HALT_MIN_ATTEMPTS: string(haltMinAttempts)
    MFA_AUTO_RESUME_AFTER_NIGHTS: string(autoResumeAfterNights)
    MFA_MAX_ATTEMPTS: string(maxAttempts)
    MFA_NOTICE_DAYS: string(noticeDays)
    MFA_NOTICE_RECIPIENTS_PER_DAY: string(noticeRecipientsPerDay)
    MFA_NOTICE_MAILBOX: noticeMailbox
    MFA_VERIFY_AFTER_DAYS: string(verifyAfterDays)
    MFA_STUCK_AFTER_DAYS: string(stuckAfterDays)
    MFA_TIME_BUDGET_MINUTES: string(timeBudgetMinutes)
    MFA_MULTI_TENANT: multiTenant ? 'true' : 'false'
    MFA_TENANT_QUEUE: tenantQueue
    MFA_START_WINDOW_MINUTES: string(startWindowMinutes)
    MFA_LEASE_SECONDS: string(leaseSeconds)
    MFA_TARGET_METHOD: targetMethod
    MFA_SMS_DELIVERY: smsDelivery
    MFA_SMS_RETIREMENT_DATE: smsRetirementDate
    MFA_SMS_RETIREMENT_DATE_ADMINS: smsRetirementDateAdmins
    MFA_CAMPAIGN_MODE: campaignMode
    MFA_CAMPAIGN_GROUP_ID: campaignGroupId
    MFA_PHISHING_RESISTANT_GROUP_ID: phishingResistantGroupId
    MFA_RETIRE_PHONE_AFTER_PASSKEY: retirePhoneAfterPasskey ? 'true' : 'false'
    MFA_PHONE_RETIRED_GROUP_ID: phoneRetiredGroupId
    MFA_PASSKEY_NUDGE_DAYS: string(passkeyNudgeDays)
    MFA_DEADLINE_WARNING_DAYS: string(deadlineWarningDays)
    MFA_CHECKS_PER_NIGHT: string(checksPerNight)
    MFA_ACK_SMS_SIGN_IN: acknowledgeSmsSignIn ? 'true' : 'false'
  }
}

// ---------------------------------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------------------------------
//
// The job writes one JSON object per event with context.info/warn/error (shared/log/invocationSink.ts).
// The Functions host sends these user logs (category Function.nightlyWave.User) to Application Insights
// as rows of `traces` whose `message` is the JSON text, so the queries parse `message`. topErrors is
// read from the raw text, where the job's JSON.stringify writes {"code":"…","count":n} in that order
// (test/infra/alertQuery.test.ts checks this against a real log line).
//
// Each distinct (event, waveId, reason, topErrors, errorCode, tenantId) found in a 15-minute window fires one
// alert; those six columns are the alert's dimensions, so the email and the webhook payload
// (common alert schema: data.alertContext.condition.allOf[0].dimensions) name the wave, the reason
// and the top error codes.

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${prefix}-${token}'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'mfarollout'
    enabled: true
    emailReceivers: [
      for (address, i) in alertEmails: {
        name: 'email-${i}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
    webhookReceivers: [
      for url in (empty(alertWebhookUrl) ? [] : [alertWebhookUrl]): {
        name: 'webhook'
        serviceUri: url
        useCommonAlertSchema: true
      }
    ]
  }
}

var eventQueryTemplate = '''
traces
| where message has "event"
| extend line = parse_json(message)
| extend event = tostring(line.event)
| where event in (__EVENTS__)
| where __LEVEL__
| extend waveId = tostring(line.waveId), reason = tostring(line.reason), errorCode = tostring(line.errorCode), tenantId = tostring(line.tenantId)
| extend topErrorsJson = extract(@'"topErrors":(\[[^\]]*\])', 1, message)
| extend topErrors = trim(@'[\[\]]', replace_regex(topErrorsJson, @'\{"code":"([^"]*)","count":(\d+)\}', @'\1 x\2'))
| project timestamp, event,
    waveId = iff(isempty(waveId), "-", waveId),
    reason = iff(isempty(reason), "-", substring(reason, 0, 240)),
    topErrors = iff(isempty(topErrors), "-", replace_string(topErrors, ",", ", ")),
    errorCode = iff(isempty(errorCode), "-", errorCode),
    tenantId = iff(isempty(tenantId), "-", tenantId)
'''

var alertDimensions = [
  {
    name: 'event'
    operator: 'Include'
    values: ['*']
  }
  {
    name: 'waveId'
    operator: 'Include'
    values: ['*']
  }
  {
    name: 'reason'
    operator: 'Include'
    values: ['*']
  }
  {
    name: 'topErrors'
    operator: 'Include'
    values: ['*']
  }
  {
    name: 'errorCode'
    operator: 'Include'
    values: ['*']
  }
  {
    name: 'tenantId'
    operator: 'Include'
    values: ['*']
  }
]

// The rollout events on-call must hear about. Which rule fires follows the level the job logs the event at
// (traces.severityLevel: 2 warning, 3 error), so the job decides how loud an occurrence is: night.held is a
// warning when directory sync is stale and an error when the preflight refuses the night.
var alertedEvents = [
  'wave.halted' // the failure rate passed MFA_HALT_FAILURE_RATE: nothing more happens until `mfa-rollout resume`
  'wave.stopped' // a run failed mid-wave
  'config.invalid' // the job refused its app settings
  'night.held' // nothing written tonight: directory sync off or stale (warning), or the preflight refused (error)
  'night.halted' // the rollout is still halted since an earlier wave
  'deadline.atRisk' // users projected still on SMS/voice only on the retirement date (Microsoft's delivery only)
  // many tenants (each names its tenantId):
  'tenant.failed' // a tenant's night failed: retried (warning) or refused for a person to fix (error: bad settings, no consent)
  'tenant.messageInvalid' // a queue message that is not a tenant night: retried, then poisoned
  'tenant.configInvalid' // the fan-out skipped a tenant whose registry settings do not validate
  'tenant.enqueueFailed' // the fan-out could not enqueue a tenant's night
  'tenant.unreadable' // a registry row the fan-out cannot read
]

// The events that say why a run ended: a failed run that logged one of them at error level is already alerted on.
// deadline.atRisk says nothing about the run (it is logged before the night's writes), so it does not count.
var runOutcomeEvents = filter(alertedEvents, name => name != 'deadline.atRisk')

var eventAlerts = [
  {
    key: 'error'
    displayName: 'mfa-rollout ${rolloutId}: wave halted or stopped, night refused, configuration invalid, or SMS retirement at risk'
    description: 'An error-level rollout event. wave.halted: the failure rate passed MFA_HALT_FAILURE_RATE and nothing more happens until `mfa-rollout resume`. wave.stopped: a run failed mid-wave. night.held: the preflight refused the night. config.invalid: the job refused its app settings. deadline.atRisk: at the observed registration pace, users will still be on SMS/voice only (or without a method) on the SMS retirement date; the reason gives the counts and days left, `mfa-rollout report` names the stragglers. Read the dimensions (event, waveId, reason, topErrors, errorCode), then `mfa-rollout report`.'
    severity: 1
    levelFilter: 'severityLevel >= 3'
  }
  {
    key: 'warning'
    displayName: 'mfa-rollout ${rolloutId}: night held or skipped'
    description: 'A warning-level rollout event. night.held: directory sync is off or older than MFA_MAX_SYNC_AGE_MINUTES, so nothing was written tonight. night.halted: the rollout is still halted since an earlier wave (see reason); waves resume after `mfa-rollout resume`.'
    severity: 2
    levelFilter: 'severityLevel == 2'
  }
]

resource eventAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in eventAlerts: if (alertsEnabled) {
    name: 'alert-${prefix}-${rule.key}-${token}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        appInsights.id
      ]
      evaluationFrequency: 'PT15M'
      windowSize: 'PT15M'
      autoMitigate: false // each event is a one-off occurrence: notify every time, nothing to resolve
      criteria: {
        allOf: [
          {
            query: replace(replace(eventQueryTemplate, '__EVENTS__', 'dynamic(${string(alertedEvents)})'), '__LEVEL__', rule.levelFilter)
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            dimensions: alertDimensions
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [
          actionGroup.id
        ]
        customProperties: {
          rolloutId: rolloutId
          functionApp: functionAppName
          runbook: 'docs/deployment.md > When an alert fires'
        }
      }
    }
  }
]

// A run that failed without logging one of the error-level events above (for example on a missing Graph
// permission or storage role on the first night) only shows as a failed invocation.
var failedRunQuery = '''
requests
| where name == "__FUNCTION__" and success == false
| join kind=leftanti (
    traces
    | where message has "event"
    | extend event = tostring(parse_json(message).event)
    | where event in (__EVENTS__) and severityLevel >= 3
    | project operation_Id
  ) on operation_Id
| project timestamp, operation_Id, resultCode
'''

resource failedRunAlertRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = if (alertsEnabled) {
  name: 'alert-${prefix}-run-failed-${token}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'mfa-rollout ${rolloutId}: nightly run failed'
    description: 'The nightlyWave invocation failed without logging an error-level rollout event. Look at the exceptions of that operation in Application Insights; a first night usually fails like this on a missing Graph permission (infra/grant-graph-permissions.sh) or a storage role still propagating.'
    severity: 1
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: replace(replace(failedRunQuery, '__FUNCTION__', timerFunctionName), '__EVENTS__', 'dynamic(${string(runOutcomeEvents)})')
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        rolloutId: rolloutId
        functionApp: functionAppName
        runbook: 'docs/deployment.md > When an alert fires'
      }
    }
  }
}

// Many tenants: a message the Functions host gave up on (host.json maxDequeueCount failed tries) and moved to the
// poison queue. The host logs the move ("Message has reached MaxDequeueCount of N. Moving message to queue
// '<queue>-poison'."); nothing reads the poison queue, so each moved message is one alert, naming its queue.
// The message body names the tenant and the night: read it from the queue (docs/deployment.md).
var poisonQuery = '''
traces
| where message has "MaxDequeueCount" and message has "__POISON__"
| project timestamp, message = substring(message, 0, 240)
'''

resource poisonAlertRule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = if (alertsEnabled && multiTenant) {
  name: 'alert-${prefix}-poison-${token}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'mfa-rollout: a tenant night reached the poison queue'
    description: 'A tenant-night message failed host.json maxDequeueCount times and moved to ${tenantQueue}-poison: that tenant\'s night did not run. The tenant.failed and tenant.messageInvalid alerts of the same hour name the tenant and the error; the message itself stays in the poison queue (docs/deployment.md: When an alert fires).'
    severity: 1
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: replace(poisonQuery, '__POISON__', '${tenantQueue}-poison')
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
      customProperties: {
        functionApp: functionAppName
        queue: '${tenantQueue}-poison'
        runbook: 'docs/deployment.md > When an alert fires'
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------

output functionAppName string = functionApp.name
output storageAccountName string = storage.name
output tablesEndpoint string = 'https://${storage.name}.table.${environment().suffixes.storage}'
output identityName string = identity.name
output identityClientId string = identity.properties.clientId
@description('Object id of the managed identity\'s service principal: pass it to infra/grant-graph-permissions.sh --principal-id.')
output identityPrincipalId string = identity.properties.principalId
output applicationInsightsName string = appInsights.name
output actionGroupName string = actionGroup.name
