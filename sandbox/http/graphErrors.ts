import { GraphHttpError } from './GraphHttpError.js';

const wwwAuthenticate = {
  'WWW-Authenticate':
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

/**
 * Every error answer the sandbox gives under /v1.0 and /beta, in one table. Codes follow real Graph (docs/graph-behaviour.md#errors);
 * messages copy real Graph where it is known and never echo a phone number.
 */
export const graphErrors = {
  tokenMissing: () =>
    new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.', wwwAuthenticate),
  tokenInvalid: () =>
    new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure.', wwwAuthenticate),
  tokenExpired: () =>
    new GraphHttpError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', wwwAuthenticate),
  /** A token with neither `scp` nor `roles` (no application permission consented): Graph's answer (docs/graph-behaviour.md#errors). */
  noRolesClaim: () => new GraphHttpError(403, 'AccessDenied', 'Either scp or roles claim need to be present in the token.'),
  insufficientPrivileges: () =>
    new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  resourceNotFound: (id: string) =>
    new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  unknownSegment: (segment: string) => new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  noSuchVersion: () => new GraphHttpError(404, 'Request_ResourceNotFound', 'The requested resource does not exist. Use /v1.0 or /beta.'),
  methodNotAllowed: () => new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  malformedJson: () =>
    new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
  bodyRequired: () => new GraphHttpError(400, 'BadRequest', 'Empty Payload. JSON content expected.'),
  payloadTooLarge: () => new GraphHttpError(413, 'RequestEntityTooLarge', 'The request body is too large.'),
  /** docs/graph-behaviour.md#errors: Graph's own code and message for a `$top` outside 1–999. */
  invalidPageSize: (raw: string) =>
    new GraphHttpError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`),
  /** The sign-in log's pages are 1–1,000 (the same answer form as the directory's `$top`; the exact text is not documented). */
  invalidSignInPageSize: (raw: string) =>
    new GraphHttpError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${raw}'. Must be between 1 and 1000 inclusive.`),
  unknownProperty: (property: string, type: string) =>
    new GraphHttpError(400, 'Request_BadRequest', `Could not find a property named '${property}' on type 'microsoft.graph.${type}'.`),
  unsupportedQueryOption: (option: string) =>
    new GraphHttpError(400, 'Request_UnsupportedQuery', `The query option '${option}' is not supported on this resource by the sandbox tenant.`),
  expiredPageToken: () =>
    new GraphHttpError(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.'),
  invalidObjectId: (id: string) => new GraphHttpError(400, 'Request_BadRequest', `Invalid object identifier '${id}'.`),
  invalidPhoneType: () =>
    new GraphHttpError(400, 'invalidRequest', "Invalid value for property 'phoneType'. Expected one of: mobile, alternateMobile, office."),
  invalidPhoneNumber: () =>
    new GraphHttpError(400, 'invalidRequest', "Invalid phone number format. Expected '+{country code} {number}x{extension}', e.g. '+1 5555551234' or '+1 5555551234x123'."),
  /**
   * Graph documents only that a second phone of one type "will fail" (docs/graph-behaviour.md#phone-methods): the
   * status is assumed, and the message is the sandbox's own, worded so that no product branch on message text can match it.
   */
  phoneTypeExists: (phoneType: string) =>
    new GraphHttpError(400, 'invalidRequest', `Sandbox: refused, the user has a phone method of type '${phoneType}' (Graph documents no message for this case).`),
  /** Refused delete of a mobile beside an alternate mobile: documented, its answer is not (the sandbox's own message). */
  mobileHasAlternate: () =>
    new GraphHttpError(400, 'invalidRequest', "Sandbox: refused, the user's alternateMobile needs a mobile (Graph documents no message for this case)."),
  /** Refused delete of the user's default MFA method: documented, its answer is not (the sandbox's own message). */
  phoneIsDefaultMethod: () =>
    new GraphHttpError(400, 'invalidRequest', "Sandbox: refused, the phone is the user's default MFA method (Graph documents no message for this case)."),
  mobileRequired: () =>
    new GraphHttpError(400, 'invalidRequest', 'A mobile phone method must be registered before an alternateMobile phone method can be added.'),
  phoneTypeImmutable: () =>
    new GraphHttpError(400, 'invalidRequest', "The property 'phoneType' cannot be changed. Delete the method and add a new one."),
  invalidMfaState: () =>
    new GraphHttpError(400, 'BadRequest', "Invalid value for property 'perUserMfaState'. Expected one of: disabled, enabled, enforced."),
  alreadyMember: () =>
    new GraphHttpError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'."),
  invalidMemberReference: () => new GraphHttpError(400, 'Request_BadRequest', 'Invalid URL format specified in @odata.id for members.'),
  reportUnlicensed: () =>
    new GraphHttpError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license"),
  unsupportedFilter: (property: string, resource: string) =>
    new GraphHttpError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`),
  mailboxUserInvalid: (idOrUpn: string) => new GraphHttpError(404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`),
  mailboxNotEnabled: () =>
    new GraphHttpError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.'),
  mailMessageMissing: () => new GraphHttpError(400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty."),
  mailPayloadInvalid: (property: string) =>
    new GraphHttpError(400, 'RequestBodyRead', `Invalid value for property '${property}' of the sendMail request body.`),
  mailNoRecipients: () =>
    new GraphHttpError(400, 'ErrorInvalidRecipients', "At least one recipient isn't valid., A message can't be sent because it contains no recipients."),
  mailRecipientUnresolved: () =>
    new GraphHttpError(400, 'ErrorInvalidRecipients', "At least one recipient isn't valid., A recipient isn't resolved. All recipients must be resolved before a message can be submitted."),
  /** Over Outlook's 4 concurrent requests per app and mailbox (docs/graph-behaviour.md#mail, observed); no Retry-After is documented. */
  mailboxConcurrency: () => new GraphHttpError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'),
  internal: () => new GraphHttpError(500, 'generalException', 'An unexpected error occurred in the sandbox tenant.'),
  tooManyRequests: (headers: Readonly<Record<string, string>>) => new GraphHttpError(429, 'TooManyRequests', 'Please retry again later.', headers),
  serviceUnavailable: (headers: Readonly<Record<string, string>>) =>
    new GraphHttpError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry after a delay.', headers),
  gatewayTimeout: (headers: Readonly<Record<string, string>>) => new GraphHttpError(504, 'UnknownError', '', headers),
  batchMalformed: (detail: string) => new GraphHttpError(400, 'BadRequest', `Invalid batch payload format: ${detail}`),
  batchTooLarge: () => new GraphHttpError(400, 'BadRequest', 'Number of included requests exceeds the maximum of 20.'),
  batchDuplicateId: (id: string) => new GraphHttpError(400, 'BadRequest', `Request id '${id}' is used more than once; ids must be unique (ignoring case).`),
  batchContentTypeMissing: (id: string) => new GraphHttpError(400, 'BadRequest', `Request '${id}' has a body but no Content-Type header.`),
  batchItemUrl: () => new GraphHttpError(400, 'BadRequest', 'The request URL must be relative to the batch endpoint version, e.g. /users/{id}.'),
  batchNested: () => new GraphHttpError(400, 'BadRequest', 'A $batch request cannot contain another $batch request.'),
  // The Authentication methods policy and security defaults (docs/graph-behaviour.md#methods-policy-and-registration-campaign).
  // OData's own words for an undeclared property; the other texts are the sandbox's (Graph's are not documented).
  unknownPayloadProperty: (property: string, type: string) =>
    new GraphHttpError(400, 'BadRequest', `The property '${property}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`),
  invalidPayloadValue: (property: string, expected: string) => new GraphHttpError(400, 'BadRequest', `Invalid value for property '${property}': ${expected}.`),
  readOnlyProperty: (property: string, type: string) => new GraphHttpError(400, 'BadRequest', `The property '${property}' of type 'microsoft.graph.${type}' is read-only.`),
  odataTypeRequired: (type: string) => new GraphHttpError(400, 'BadRequest', `The request body must name its type: "@odata.type": "#microsoft.graph.${type}".`),
  odataTypeMismatch: (given: string, type: string) => new GraphHttpError(400, 'BadRequest', `The type '${given}' does not match the configuration's type 'microsoft.graph.${type}'.`),
  policyTooLarge: (bytes: number) => new GraphHttpError(400, 'BadRequest', `The authentication methods policy would be ${bytes} bytes serialized; it cannot exceed 20 KB. Consolidate groups (one group per method).`),
  tooManyPasskeyProfiles: () => new GraphHttpError(400, 'BadRequest', 'At most 3 passkey profiles (the default profile included) can be configured.'),
  unknownPasskeyProfile: (id: string) => new GraphHttpError(400, 'BadRequest', `The passkey profile '${id}' is not one of the configuration's passkey profiles.`),
  campaignMixedMethods: () => new GraphHttpError(400, 'BadRequest', 'The registration campaign can target one authentication method at a time: every include target must have the same targetedAuthenticationMethod.'),
  unknownTarget: (id: string) => new GraphHttpError(400, 'BadRequest', `The target '${id}' is not a user or group of this tenant.`),
  tapLifetimeOrder: () => new GraphHttpError(400, 'BadRequest', 'defaultLifetimeInMinutes must be between minimumLifetimeInMinutes and maximumLifetimeInMinutes.'),
  securityDefaultsWithConditionalAccess: () =>
    new GraphHttpError(400, 'BadRequest', 'Security defaults cannot be enabled while Conditional Access policies are enabled.'),
  // Temporary Access Pass refusals (docs/graph-behaviour.md#temporary-access-pass): the guest text is Microsoft's, the
  // policy text is what users report from real tenants; statuses and codes are not documented.
  tapExternalGuest: () => new GraphHttpError(400, 'badRequest', 'Temporary Access Pass cannot be added to an external guest user.'),
  tapNotAllowedByPolicy: () =>
    new GraphHttpError(400, 'badRequest', 'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].'),
  tapLifetimeOutOfRange: () => new GraphHttpError(400, 'badRequest', "Invalid value for property 'lifetimeInMinutes': it must be between 10 and 43200 minutes."),
  tapLifetimeOutOfPolicy: (min: number, max: number) =>
    new GraphHttpError(400, 'badRequest', `Invalid value for property 'lifetimeInMinutes': the Temporary Access Pass policy allows between ${min} and ${max} minutes.`),
  // checkMemberGroups (docs/graph-behaviour.md#groups-and-membership): "Up to 20 groups may be specified".
  tooManyGroupIds: () => new GraphHttpError(400, 'Request_BadRequest', "Invalid value for parameter 'groupIds': at most 20 group ids can be checked in one request."),
  /** A feature real Graph has that the sandbox does not model (nothing in the rollout uses it): refused, never ignored. */
  notModelled: (feature: string) => new GraphHttpError(400, 'SandboxNotModelled', `The sandbox tenant does not model ${feature}.`),
} as const;
