import azureFunctions from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import { isMultiTenantDeployment } from '../shared/config/loadConfig.js';
import { loadConfigOrReport } from '../shared/config/loadConfigOrReport.js';
import { RolloutError } from '../shared/errors/RolloutError.js';
import { createLogger } from '../shared/log/logEvent.js';
import { runFanOut, type FanOutResult } from '../shared/shell/fanOutTenants.js';
import { invocationSink } from '../shared/log/invocationSink.js';
import { openRollout } from '../shared/shell/rolloutPorts.js';
import { runWave, type NightResult } from '../shared/shell/runWave.js';

/**
 * The nightly wave: reads the app settings (validated once), builds the adapters and runs the same
 * `runWave` as `mfa-rollout run-wave`. A held night, a held lease, a halted rollout or a wave already run tonight
 * (one per night; the timer never runs another) is a normal outcome, logged and returned; a run that fails throws,
 * so the host records the invocation as failed. The host passes the timer and the context; `clock` is there for
 * tests that run the function night after night.
 */
export async function nightlyWave(timer: Timer, context: InvocationContext, clock: () => Date = () => new Date()): Promise<NightResult> {
  const logger = createLogger(invocationSink(context), { runId: context.invocationId });
  const config = loadConfigOrReport(process.env, logger);
  if (timer.isPastDue) logger.event('night.pastDue', { rolloutId: config.rolloutId }, 'warn');
  const rollout = await openRollout(config, logger);
  try {
    return await runWave({ config, clock, ports: rollout.ports, logger, runId: context.invocationId });
  } finally {
    await rollout.close();
  }
}

/**
 * Many tenants (MFA_MULTI_TENANT=true): the timer only fans out, one queue message per tenant due now (`tenantNight`
 * runs each night). A message that could not be sent, or a registry row that cannot be read, fails the invocation
 * once every other tenant's message went out.
 */
export async function fanOutNight(timer: Timer, context: InvocationContext, clock: () => Date = () => new Date()): Promise<FanOutResult> {
  const logger = createLogger(invocationSink(context), { runId: context.invocationId });
  if (timer.isPastDue) logger.event('night.pastDue', {}, 'warn');
  const result = await runFanOut(process.env, logger, clock());
  if (result.failed.length > 0) throw new RolloutError('QUEUE_UNAVAILABLE', `The fan-out could not enqueue or read every tenant:\n${result.failed.join('\n')}`);
  return result;
}

/** The timer: one night of one tenant, or with MFA_MULTI_TENANT=true the fan-out of every tenant's. */
export async function nightlyTimer(timer: Timer, context: InvocationContext): Promise<NightResult | FanOutResult> {
  return isMultiTenantDeployment(process.env) ? fanOutNight(timer, context) : nightlyWave(timer, context);
}

azureFunctions.app.timer('nightlyWave', {
  schedule: '%MFA_WAVE_SCHEDULE%',
  useMonitor: true,
  runOnStartup: false,
  handler: nightlyTimer,
});
