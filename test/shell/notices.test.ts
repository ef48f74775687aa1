import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { createLogger } from '../../shared/log/logEvent.js';
import { exportNotices } from '../../shared/shell/exportNotices.js';
import { runWave } from '../../shared/shell/runWave.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 60, seed: 51 });
const quiet = createLogger(() => undefined);
const dayMs = 86_400_000;

describe('awareness: notices before enforcement', () => {
  it("announces, mails each notice to the user's mail from the configured mailbox on its own queue, exports the list, and enforces only after MFA_NOTICE_DAYS", async () => {
    const { sandbox } = tenant();
    const mailbox = sandbox.manifest.users.find((user) => user.category === 'ready')?.upn ?? '';
    const { config, rollout } = await tenant().open({ MFA_NOTICE_DAYS: '2', MFA_NOTICE_MAILBOX: mailbox, MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '10', MFA_MAX_WAVE_SIZE: '10' });
    const journalBefore = sandbox.journal.entries().length;

    const night1 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'announce' });
    expect(night1.outcome).toBe('wave');
    if (night1.outcome !== 'wave') return;
    expect(night1.wave.planned).toBe(0);
    expect(night1.wave.announced).toBeGreaterThanOrEqual(10);
    const night1Writes = sandbox.journal.entries().slice(journalBefore);
    expect(night1Writes.every((entry) => entry.operation === 'mail.send' && entry.status === 202)).toBe(true);
    expect(night1Writes).toHaveLength(night1.wave.announced);
    expect(night1Writes.every((entry) => JSON.stringify(entry.detail).toLowerCase().includes(mailbox.toLowerCase()))).toBe(true);
    // addressed to the user's mail, not the UPN (hybrid users of the sandbox have a mail that is not their UPN)
    const mailOf = new Map(sandbox.state.users.map((user) => [user.mail?.toLowerCase(), user]));
    const recipients = night1Writes.flatMap((entry) => entry.detail['to'] as string[]);
    expect(recipients.every((address) => mailOf.has(address.toLowerCase()))).toBe(true);
    expect(recipients.some((address) => address.toLowerCase() !== mailOf.get(address.toLowerCase())?.userPrincipalName.toLowerCase())).toBe(true);

    const { csv, rows } = await exportNotices(rollout.ports);
    expect(rows).toBe(night1.wave.announced);
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0] ?? {})).toEqual(['UserPrincipalName', 'WaveId', 'AnnouncedAt', 'EnforceFrom', 'MailedAt', 'NotMailedReason']);
    for (const record of records) {
      expect(Date.parse(record['EnforceFrom'] ?? '') - Date.parse(record['AnnouncedAt'] ?? '')).toBe(2 * dayMs);
      expect([record['MailedAt'] === '', record['NotMailedReason']]).toEqual([false, '']);
    }

    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + dayMs));
    const night2 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'too-early' });
    expect(night2.outcome === 'wave' || night2.outcome === 'nothingToDo').toBe(true);
    expect('plan' in night2 ? night2.plan.enforce : []).toEqual([]);
    expect('plan' in night2 ? night2.plan.waiting.awaitingNotice : 0).toBeGreaterThanOrEqual(10);

    // the night that enforces also mails the next wave's notices; Exchange throttles some of them
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + dayMs));
    sandbox.traffic.addFault({ kind: 'throttle', operations: ['mail.send'], count: 3, retryAfterSeconds: null });
    const night3 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'due' });
    expect(night3.outcome).toBe('wave');
    if (night3.outcome !== 'wave') return;
    expect(night3.wave.enforced).toBe(10);
    expect(night3.wave.announced).toBeGreaterThan(0);
    // mail throttling never slowed the MFA writes nor spent their retries: it stayed on the mail gateway
    expect(rollout.ports.mailGateway.stats.throttled).toBe(3);
    expect([rollout.ports.gateway.stats.throttled, rollout.ports.gateway.stats.retries]).toEqual([0, 0]);
    expect(rollout.ports.gateway.stats.retryBudgetLeft).toBe(config.graphRetryBudget);
    const announcedUpns = new Set(records.map((record) => record['UserPrincipalName']));
    for (const user of night3.plan.enforce) expect(announcedUpns.has(user.upn)).toBe(true);
  });
});
