import azureFunctions from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import { loadConfigOrReport } from '../shared/config/loadConfigOrReport.js';
import { createLogger } from '../shared/log/logEvent.js';
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

azureFunctions.app.timer('nightlyWave', {
  schedule: '%MFA_WAVE_SCHEDULE%',
  useMonitor: true,
  runOnStartup: false,
  handler: nightlyWave,
});
