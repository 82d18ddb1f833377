import { randomBytes } from 'node:crypto';
import { EventStore } from '@harbour/event-store';
import { RetentionService } from '@harbour/intake';
import { FixedClock } from '@harbour/kernel';
import { harbour } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';

const DAY = 86_400_000;

describe('retention: configured per section, listed for privacy officers, run by a job that survives restarts', () => {
  let database: TestDatabase;
  let t: TestApp | null = null;
  const clock = new FixedClock(new Date('2026-11-02T09:00:00Z'));
  const env = {
    HARBOUR_RETENTION: 'story=730,health=365',
    HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
    await database.drop();
  });

  it('lists what is due (dry run, an access-log view), then erases it after a restart on the same database', async () => {
    t = await startTestApp({ databaseUrl: database.url, clock, env });
    await t.app.get(RetentionService).stop(); // this test runs the job itself
    const net = await buildNetwork(t);
    const shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(shelter);
    await net.staff(shelter, 'ana-worker', ['caseworker']);
    await net.staff(shelter, 'pat-privacy', ['privacy-officer']);
    const auth = net.auth;
    const opened = await net.http
      .post('/v1/intakes')
      .set('Authorization', await auth('ana-worker'))
      .expect(201);
    const survivor: string = opened.body.survivorId;
    for (const [section, content] of Object.entries({
      story: { narrative: 'Synthetic narrative.', toldOn: '2026-10-28', language: 'en' },
      health: { conditions: 'synthetic', mentalHealthSupport: false },
      housing: { situation: 'shelter' },
    }))
      await net.http
        .put(`/v1/intakes/${survivor}/sections/${section}`)
        .set('Authorization', await auth('ana-worker'))
        .send({ content })
        .expect(200);
    const due = async (at: Date) =>
      (
        await net.http
          .get(`/v1/privacy/retention/due?at=${at.toISOString()}`)
          .set('Authorization', await auth('pat-privacy'))
          .expect(200)
      ).body.items as Array<{ survivorId: string; section: string; retentionDays: number }>;
    await eventually(async () => expect(await due(new Date(clock.now().getTime() + 366 * DAY))).toHaveLength(1));
    expect(await due(new Date(clock.now().getTime() + 100 * DAY))).toEqual([]);
    const later = await due(new Date(clock.now().getTime() + 731 * DAY));
    expect(later.map((d) => [d.survivorId, d.section, d.retentionDays])).toEqual([
      [survivor, 'health', 365],
      [survivor, 'story', 730],
    ]);
    const trail = await t.app.get(EventStore).readStream(`access-${survivor}`);
    expect(
      trail.some((e) => e.type === 'AccessLogViewed' && (e.data as { view: string }).view === 'retention-due'),
    ).toBe(true);
    await net.http
      .get('/v1/privacy/retention/due')
      .set('Authorization', await auth('ana-worker'))
      .expect(403);

    // Restart on the same database, 400 days later: the job erases health (and only health).
    await t.close();
    clock.advance(400 * DAY);
    t = await startTestApp({ databaseUrl: database.url, clock, env });
    const retention = t.app.get(RetentionService);
    await retention.stop();
    expect(await retention.runNow()).toBe(1);
    expect(await retention.runNow()).toBe(0);
    const events = (await t.app.get(EventStore).readStream(`intake-${survivor}`)).map((e) => e.type);
    expect(events.slice(-2)).toEqual(['SectionRetentionExpired', 'SectionErased']);
    await eventually(async () => {
      expect((await retention.due({ at: new Date(clock.now().getTime() + 331 * DAY) })).map((d) => d.section)).toEqual([
        'story',
      ]);
    });
    // Operators see the same listing from the CLI.
    const cli = await harbour(
      ['retention', 'dry-run', '--at', new Date(clock.now().getTime() + 331 * DAY).toISOString()],
      {
        DATABASE_URL: database.url,
        HARBOUR_MASTER_KEY: env.HARBOUR_MASTER_KEY,
        HARBOUR_NOTARY_KEY: t.config.HARBOUR_NOTARY_KEY!,
        HARBOUR_RETENTION: env.HARBOUR_RETENTION,
      },
    );
    expect(cli.code).toBe(0);
    const listed = JSON.parse(cli.stdout) as { periods: Record<string, number>; due: Array<{ section: string }> };
    expect(listed.periods).toEqual({ story: 730, health: 365 });
    expect(listed.due.map((d) => d.section)).toEqual(['story']);
  });
});
