import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { createLogger } from '../../shared/log/logEvent.js';
import { buildReport } from '../../shared/shell/buildReport.js';
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

    // Exchange throttles some of the notices
    sandbox.traffic.addFault({ kind: 'throttle', operations: ['mail.send'], count: 3, retryAfterSeconds: null });
    const night1 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'announce' });
    expect(night1.outcome).toBe('wave');
    if (night1.outcome !== 'wave') return;
    expect(night1.wave.planned).toBe(0);
    expect(night1.wave.announced).toBeGreaterThanOrEqual(10);
    // mail throttling never slowed the MFA gateway nor spent its retries: it stayed on the mail gateway
    expect(rollout.ports.mailGateway.stats.throttled).toBe(3);
    expect([rollout.ports.gateway.stats.throttled, rollout.ports.gateway.stats.retries]).toEqual([0, 0]);
    expect(rollout.ports.gateway.stats.retryBudgetLeft).toBe(config.graphRetryBudget);
    const night1Writes = sandbox.journal.entries().slice(journalBefore).filter((entry) => entry.status !== 429);
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
    // each notice gives the night the ramp reaches that user: the first wave of 10 after the 2-day notice, the rest a night later
    const noticeNights = records.map((record) => (Date.parse(record['EnforceFrom'] ?? '') - Date.parse(record['AnnouncedAt'] ?? '')) / dayMs);
    expect(noticeNights.filter((nights) => nights === 2)).toHaveLength(10);
    expect(noticeNights.filter((nights) => nights === 3)).toHaveLength(night1.wave.announced - 10);
    for (const record of records) expect([record['MailedAt'] === '', record['NotMailedReason']]).toEqual([false, '']);
    // the roster keeps the date each user was given, the same as their notice
    const told = new Map(records.map((record) => [record['UserPrincipalName'], record['EnforceFrom']]));
    for await (const row of rollout.ports.roster.rows()) {
      if ('user' in row && row.user.progress.state === 'announced') expect(row.user.progress.enforceFrom).toBe(told.get(row.user.directory.userPrincipalName));
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
    // exactly the users told tonight's date; the others wait for theirs
    for (const user of night3.plan.enforce) expect((Date.parse(told.get(user.upn) ?? '') - Date.parse(records[0]?.['AnnouncedAt'] ?? '')) / dayMs).toBe(2);
    expect(night3.plan.waiting.promisedDate).toBe(night1.wave.announced - 10);
    // and the report still puts every user in exactly one bucket
    const { progress } = await buildReport(config, rollout.ports, sandbox.state.now());
    expect(progress.enforced + progress.ready + progress.notReady + progress.excluded + progress.parked + progress.rolledBack + progress.notPresent).toBe(progress.total);

    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + dayMs));
    const night4 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'second' });
    expect(night4.outcome).toBe('wave');
    if (night4.outcome !== 'wave') return;
    expect(night4.plan.enforce.map((user) => user.upn).sort()).toEqual(records.filter((_, index) => noticeNights[index] === 3).map((record) => record['UserPrincipalName']).sort());
  });
});
