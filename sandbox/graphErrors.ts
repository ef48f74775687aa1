import { GraphHttpError } from './GraphHttpError.js';

const wwwAuthenticate = {
  'WWW-Authenticate':
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

/**
 * Every error answer the sandbox gives under /v1.0 and /beta, in one table. Codes follow real Graph (graph-notes §9);
 * messages copy real Graph where it is known and never echo a phone number.
 */
export const graphErrors = {
  tokenMissing: () =>
    new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.', wwwAuthenticate),
  tokenInvalid: () =>
    new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure.', wwwAuthenticate),
  tokenExpired: () =>
    new GraphHttpError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', wwwAuthenticate),
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
  invalidPageSize: (raw: string) =>
    new GraphHttpError(400, 'Request_BadRequest', `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`),
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
  phoneTypeExists: (phoneType: string) =>
    new GraphHttpError(400, 'invalidRequest', `A phone method of type '${phoneType}' already exists for this user.`),
  mobileRequired: () =>
    new GraphHttpError(400, 'invalidRequest', 'A mobile phone method must be registered before an alternateMobile phone method can be added.'),
  phoneTypeImmutable: () =>
    new GraphHttpError(400, 'invalidRequest', "The property 'phoneType' cannot be changed. Delete the method and add a new one."),
  invalidMfaState: () =>
    new GraphHttpError(400, 'BadRequest', "Invalid value for property 'perUserMfaState'. Expected one of: disabled, enabled, enforced."),
  internal: () => new GraphHttpError(500, 'generalException', 'An unexpected error occurred in the sandbox tenant.'),
} as const;
