import type { Config } from '../config/configSchema.js';
import type { Logger } from '../log/logEvent.js';
import { createGraphConnection } from '../adapters/graph/graphClient.js';
import { createGraphGateway, type GraphGateway } from '../adapters/graph/graphGateway.js';
import { createMailGateway } from '../adapters/graph/mailGateway.js';
import { readGrantedPermissions, type GrantedPermissions } from '../adapters/graph/grantedPermissions.js';
import { FailuresTable } from '../adapters/tables/failuresTable.js';
import { NoticesTable } from '../adapters/tables/noticesTable.js';
import { PilotTable } from '../adapters/tables/pilotTable.js';
import { PostureTable } from '../adapters/tables/postureTable.js';
import { RosterTable } from '../adapters/tables/rosterTable.js';
import { RunLease } from '../adapters/tables/runLease.js';
import { SetupTable } from '../adapters/tables/setupTable.js';
import { createTableClient, openRolloutTables } from '../adapters/tables/tableClients.js';
import { AppWritersTable } from '../adapters/tables/appWritersTable.js';
import { toTablesAccessError } from '../adapters/tables/toTablesAccessError.js';
import { defaultTuning } from '../adapters/graph/writePacer.js';
import { keepAppWriteShare, type AppWriteShareKeeper } from './appWriteShareKeeper.js';
import { WavesTable } from '../adapters/tables/wavesTable.js';

/** Everything the shell talks to: Graph through the gateway (and the app's own token; the notices' own mail gateway), and the eight tables. */
export interface RolloutPorts {
  readonly gateway: GraphGateway;
  /** The Graph application permissions the app's access token carries. */
  grantedPermissions(): Promise<GrantedPermissions>;
  /** For notices only (`createMailGateway`): Exchange's limits, its own retries, never the MFA writes' pace. */
  readonly mailGateway: GraphGateway;
  readonly roster: RosterTable;
  readonly waves: WavesTable;
  readonly failures: FailuresTable;
  readonly lease: RunLease;
  readonly notices: NoticesTable;
  readonly pilot: PilotTable;
  readonly posture: PostureTable;
  /** What `setup-passkeys --apply` changed in the methods policy, for `--restore`. */
  readonly setup: SetupTable;
}

export interface OpenRollout {
  readonly ports: RolloutPorts;
  close(): Promise<void>;
}

export type TablePorts = Omit<RolloutPorts, 'gateway' | 'mailGateway' | 'grantedPermissions'>;

/** The table adapters of one rollout, on tables that exist (created on first use). */
export async function openTablePorts(config: Config): Promise<TablePorts> {
  const tables = await openRolloutTables(config);
  return {
    roster: new RosterTable(tables.roster, config.rolloutId),
    waves: new WavesTable(tables.waves, config.rolloutId),
    failures: new FailuresTable(tables.failures, config.multiTenant ? config.rolloutId : null),
    lease: new RunLease(tables.lease, config.rolloutId),
    notices: new NoticesTable(tables.notices, config.rolloutId),
    pilot: new PilotTable(tables.pilot, config.rolloutId),
    posture: new PostureTable(tables.posture, config.rolloutId),
    setup: new SetupTable(tables.setup, config.rolloutId),
  };
}

/** Builds the adapters from the validated config (the timer function and the CLI both come through here). */
export async function openRollout(config: Config, logger: Logger): Promise<OpenRollout> {
  const tablePorts = await openTablePorts(config);
  const connection = createGraphConnection(config);
  // many tenants: the night takes its part of the app's write limit across tenants from the writers' register
  const writeShare = config.multiTenant ? await openAppWriteShare(config, logger) : undefined;
  const gateway = createGraphGateway(connection, config, { logger, ...(writeShare === undefined ? {} : { writeShare }) });
  const mailGateway = createMailGateway(connection, config, { logger });
  const close = async (): Promise<void> => {
    await writeShare?.stop();
    await connection.close();
  };
  return { ports: { gateway, mailGateway, grantedPermissions: () => readGrantedPermissions(connection), ...tablePorts }, close };
}

async function openAppWriteShare(config: Config, logger: Logger): Promise<AppWriteShareKeeper> {
  const writers = new AppWritersTable(createTableClient(config, 'Writers'));
  try {
    await writers.ensure();
  } catch (error) {
    throw toTablesAccessError(error, config);
  }
  const limit = { quota: config.graphAppWriteQuota, windowSeconds: config.graphAppWriteWindowSeconds };
  const pacePerSecond = config.graphWritesPerSecond * defaultTuning.margin;
  return keepAppWriteShare({ writers, rolloutId: config.rolloutId, limit, margin: defaultTuning.margin, pacePerSecond, logger });
}
