import { odata, type TableClient } from '@azure/data-tables';
import type { BreakGlassPosture } from '../../core/assessBreakGlass.js';
import type { UserPostureCounts } from '../../core/deadline/userPostureTally.js';
import type { TenantPosture } from '../../core/posture/postureTypes.js';
import { isNotFound, toTableError } from './tableErrors.js';

/**
 * The tenant's security posture as a night found it, in named sections. Each section is one JSON property of the row
 * carrying its own `version`, and rows are merged, never replaced: a stream that adds a section (the tenant's
 * authentication-methods posture, say) writes its property and leaves the others as they are.
 */
export interface PostureSections {
  /** MFA_BREAK_GLASS resolution and the privileged accounts (ids, UPNs, role names; never a phone number). */
  readonly breakGlass: BreakGlassPosture;
  /** The tenant's authentication-methods posture (policy targets, campaign, SMS calendar, problems; never a phone number). */
  readonly methods: TenantPosture & { readonly version: 1 };
  /** The roster by posture as the night began (counts only, never a name): the SMS-only line of the report's chart. */
  readonly userPostures: { readonly version: 1; readonly countedAt: string; readonly counts: UserPostureCounts };
}

/** One night's `userPostures` section, from its `night-YYYY-MM-DD` row. */
export interface UserPosturesNight {
  /** The UTC date of the night. */
  readonly date: string;
  readonly countedAt: string;
  readonly counts: UserPostureCounts;
}

export interface PostureRecord {
  /** When the newest section of the row was written (ISO). */
  readonly checkedAt: string;
  readonly sections: Partial<PostureSections>;
}

/** The JSON property of each section, and the version a reader understands. */
const sectionProperties: { readonly [K in keyof PostureSections]: { readonly property: string; readonly version: number; readonly looksRight: (value: Record<string, unknown>) => boolean } } = {
  breakGlass: { property: 'breakGlassJson', version: 1, looksRight: (value) => Array.isArray(value['entries']) && Array.isArray(value['unresolved']) },
  methods: { property: 'methodsJson', version: 1, looksRight: (value) => typeof value['decidedAt'] === 'string' && Array.isArray(value['problems']) && typeof value['sms'] === 'object' && value['sms'] !== null },
  userPostures: { property: 'userPosturesJson', version: 1, looksRight: (value) => typeof value['countedAt'] === 'string' && typeof value['counts'] === 'object' && value['counts'] !== null && typeof (value['counts'] as Record<string, unknown>)['smsVoiceOnly'] === 'number' },
};

const latestRowKey = 'latest';
const nightRowPrefix = 'night-';

/**
 * The only code that reads and writes the Posture table: PartitionKey = rollout id; RowKey `latest` (what the report
 * shows) and `night-YYYY-MM-DD` (one row per night, UTC date, kept for the record; a second run that night merges into it).
 */
export class PostureTable {
  constructor(
    private readonly table: TableClient,
    private readonly rolloutId: string,
  ) {}

  async save(checkedAt: Date, sections: Partial<PostureSections>): Promise<void> {
    const properties: Record<string, string> = { checkedAt: checkedAt.toISOString() };
    for (const [name, section] of Object.entries(sections) as [keyof PostureSections, PostureSections[keyof PostureSections]][]) {
      properties[sectionProperties[name].property] = JSON.stringify(section);
    }
    const night = `${nightRowPrefix}${checkedAt.toISOString().slice(0, 10)}`;
    try {
      for (const rowKey of [night, latestRowKey]) await this.table.upsertEntity({ partitionKey: this.rolloutId, rowKey, ...properties }, 'Merge');
    } catch (error) {
      throw toTableError(error, 'Recording the posture');
    }
  }

  /** The latest record, or null before any night checked it. A section that cannot be read (or is of a newer version) is left out. */
  async latest(): Promise<PostureRecord | null> {
    let entity: Record<string, unknown>;
    try {
      entity = await this.table.getEntity<Record<string, unknown>>(this.rolloutId, latestRowKey);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw toTableError(error, 'Reading the posture');
    }
    const sections: Partial<Record<keyof PostureSections, unknown>> = {};
    for (const name of Object.keys(sectionProperties) as (keyof PostureSections)[]) {
      const section = readSection(entity, name);
      if (section !== undefined) sections[name] = section;
    }
    return { checkedAt: typeof entity['checkedAt'] === 'string' ? entity['checkedAt'] : '', sections: sections as Partial<PostureSections> };
  }

  /**
   * The `userPostures` section of the night rows, oldest first: the most recent `maxNights` nights that recorded one
   * (a night held before it read the roster has none). Reads only that property of the night rows.
   */
  async userPostureNights(maxNights: number): Promise<UserPosturesNight[]> {
    const nights: UserPosturesNight[] = [];
    const filter = odata`PartitionKey eq ${this.rolloutId} and RowKey ge ${nightRowPrefix} and RowKey lt ${'night.'}`;
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['RowKey', sectionProperties.userPostures.property] } })) {
        const section = readSection(entity, 'userPostures');
        const rowKey = typeof entity['rowKey'] === 'string' ? entity['rowKey'] : '';
        if (section === undefined) continue;
        nights.push({ date: rowKey.slice(nightRowPrefix.length), countedAt: section.countedAt, counts: section.counts });
        // row keys come sorted: keep only the most recent nights
        if (nights.length > Math.max(1, maxNights)) nights.shift();
      }
    } catch (error) {
      throw toTableError(error, 'Reading the nightly posture counts');
    }
    return nights;
  }
}

/** One section of a posture row, or undefined when absent, unreadable or of another version. */
function readSection<K extends keyof PostureSections>(entity: Record<string, unknown>, name: K): PostureSections[K] | undefined {
  const { property, version, looksRight } = sectionProperties[name];
  const text = entity[property];
  if (typeof text !== 'string') return undefined;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return parsed['version'] === version && looksRight(parsed) ? (parsed as unknown as PostureSections[K]) : undefined;
  } catch {
    return undefined; // an unreadable section is as good as none: the report says nothing was recorded
  }
}
