import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { noJourneyCounts, type WaveSummary } from '../../core/waveHistory.js';
import { RolloutError } from '../../errors/RolloutError.js';
import { toTableError } from './tableErrors.js';

const countRecord = z.record(z.string(), z.number().int().min(0));
const errorCounts = z.array(z.object({ code: z.string(), count: z.number().int().min(0) }));
const jsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON' });
      return z.NEVER;
    }
  }).pipe(schema);

const count = z.number().int().min(0);
const waveEntitySchema = z.object({
  rowKey: z.string().min(1),
  kind: z.enum(['enforce', 'held', 'resume', 'rollback']),
  status: z.enum(['running', 'completed', 'stopped', 'halted', 'held', 'done']),
  startedAt: z.string().min(1),
  endedAt: z.string().nullable().optional().transform((value) => value ?? null),
  pilot: z.boolean(),
  targetSize: count, planned: count, announced: count, attempted: count, enforced: count, alreadyDone: count,
  phoneMethodsRegistered: count, failed: count,
  skipped: jsonOf(countRecord),
  reason: z.string().nullable().optional().transform((value) => value ?? null),
  topErrors: jsonOf(errorCounts),
  targetWaveId: z.string().nullable().optional().transform((value) => value ?? null),
  configHash: z.string(),
  // written since the passkey track; a record from before has none: all 0
  journey: jsonOf(z.object({
    nudged: count, registered: count, phishingResistant: count, phoneRetired: count, awaitingTap: count, checked: count, advanced: count,
  })).optional().transform((value) => value ?? noJourneyCounts),
});

/** The only code that reads and writes the waves table (PartitionKey = rollout id, RowKey = wave id). */
export class WavesTable {
  constructor(
    private readonly table: TableClient,
    private readonly rolloutId: string,
  ) {}

  /** Creates or replaces the record of a wave (start, progress and close all go through here). */
  async save(wave: WaveSummary): Promise<void> {
    const { waveId, skipped, topErrors, journey, ...rest } = wave;
    const entity: Record<string, unknown> = { partitionKey: this.rolloutId, rowKey: waveId, skipped: JSON.stringify(skipped), topErrors: JSON.stringify(topErrors), journey: JSON.stringify(journey) };
    for (const [key, value] of Object.entries(rest)) if (value !== null) entity[key] = value;
    try {
      await this.table.upsertEntity(entity as { partitionKey: string; rowKey: string }, 'Replace');
    } catch (error) {
      throw toTableError(error, `Recording wave ${waveId}`);
    }
  }

  /** All records of the rollout, oldest first (wave ids sort by time). Unreadable records fail loudly: ramp and halt depend on them. */
  async history(): Promise<WaveSummary[]> {
    const waves: WaveSummary[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${this.rolloutId}` } })) {
        waves.push(parseWave(entity));
      }
    } catch (error) {
      throw error instanceof RolloutError ? error : toTableError(error, 'Reading wave history');
    }
    return waves.sort((a, b) => (a.waveId < b.waveId ? -1 : a.waveId > b.waveId ? 1 : 0));
  }
}

function parseWave(entity: Record<string, unknown>): WaveSummary {
  const parsed = waveEntitySchema.safeParse(entity);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RolloutError('ROW_CORRUPT', `Wave record ${String(entity['rowKey'])} is unreadable: field '${issue?.path.join('.') ?? 'row'}' ${issue?.message ?? ''}`);
  }
  const { rowKey, ...rest } = parsed.data;
  return { waveId: rowKey, ...rest };
}
