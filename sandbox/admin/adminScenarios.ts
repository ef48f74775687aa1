import type { Reply } from '../http/graphRoute.js';
import type { ConditionalAccessChange, RegistrationReportChange, SandboxScenarios, SignInNightOptions } from './sandboxScenarios.js';

/**
 * The scenario part of the admin API (`/_sandbox/…`, no token, loopback only); undefined when `key` is not one of
 * its operations. Validation errors are RangeErrors, which handleAdminRequest answers with 400.
 *
 * - `GET|POST conditionalAccess {scenario?, throttled?}` → `{scenario, throttled, policies}`
 * - `GET|POST registrationReport {lagMinutes?, licensed?, throttled?, pageSize?}` → the settings
 * - `POST signIn {user}` → `{userId, mfaRequired, registeredAuthenticator, enforced, reportVisibleAt}`
 * - `POST signInNight {share, seed?}` → `{seed, candidates, signedIn, registeredAuthenticator, enforced, reportVisibleAt}`
 */
export function handleScenarioAdmin(key: string, body: Record<string, unknown>, scenarios: SandboxScenarios): Reply | undefined {
  switch (key) {
    case 'GET /_sandbox/conditionalAccess':
      return { status: 200, body: scenarios.conditionalAccess() };
    case 'POST /_sandbox/conditionalAccess':
      return { status: 200, body: scenarios.setConditionalAccess(body as ConditionalAccessChange) };
    case 'GET /_sandbox/registrationReport':
      return { status: 200, body: scenarios.registrationReport() };
    case 'POST /_sandbox/registrationReport':
      return { status: 200, body: scenarios.setRegistrationReport(body as RegistrationReportChange) };
    case 'POST /_sandbox/signIn':
      return { status: 200, body: scenarios.signIn(body.user as string) };
    case 'POST /_sandbox/signInNight':
      return { status: 200, body: scenarios.signInNight(body as unknown as SignInNightOptions) };
    default:
      return undefined;
  }
}
