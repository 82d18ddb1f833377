/**
 * The survivor's own copy: `npm run bench:copy` (BENCH_ACCESS_EVENTS=1000, BENCH_COPIES=30).
 *
 * Starts the whole API in-process, as main.ts does, on its own durable embedded PostgreSQL in a
 * fresh temporary folder. Seeds over HTTP one synthetic survivor with every section filled, two
 * consents (one amended, one revoked) and an exclusion, then gives the record
 * BENCH_ACCESS_EVENTS access events through the real audited read (the care team's caseworker
 * and supervisor, three purposes), and waits until the access-log projection holds them all.
 * Then it asks for `GET /v1/intakes/:id/copy` BENCH_COPIES times as JSON and as HTML (French),
 * one request at a time, and prints p50/p95 of the time to the whole answer. Target (issue 12):
 * under 1 s.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { retry } from './measure.js';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { DevKeys } from '@harbour/auth';
import { SECTION_EXAMPLES } from '@harbour/intake';
import { loadConfig, systemClock } from '@harbour/kernel';
import { NetworkBootstrap } from '@harbour/network';
import { AppModule } from '../apps/api/src/app.module.js';
import { configureApp, httpAdapter } from '../apps/api/src/http/configure-app.js';
import { runBench } from './bench-postgres.js';
import { printTable } from './table.js';

const ACCESS_EVENTS = Number(process.env.BENCH_ACCESS_EVENTS ?? 1_000);
const COPIES = Number(process.env.BENCH_COPIES ?? 30);
const READ_CONCURRENCY = 8;
const TARGET_MS = 1_000;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

runBench('harbour-copy-bench-', 58_000, async ({ server, dir, onClose }) => {
  const config = loadConfig({
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    HARBOUR_DEV_KEYS: 'true',
    HARBOUR_RATE_LIMIT: 'false',
    HARBOUR_DATA_DIR: dir,
    HARBOUR_MASTER_KEY: randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
  });
  config.DATABASE_URL = server.url;
  const app: INestApplication = await configureApp(
    await NestFactory.create(AppModule.forRoot(config, systemClock), httpAdapter(), { bufferLogs: true }),
  );
  onClose(() => app.close());
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const keys = app.get(DevKeys);
  const token = (userId: string, agencyId: string, roles: string[]) =>
    keys.mintDevToken({ userId, agencyId, roles, ttlSeconds: 3600 });
  const call = async (method: string, path: string, bearer: string, body?: unknown, accept = 'application/json') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        accept,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  const ok = async (status: number, what: string, response: Promise<{ status: number; text: string }>) => {
    const res = await response;
    if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    return (res.text ? JSON.parse(res.text) : {}) as Record<string, unknown>;
  };

  // --- Seed: a network of two agencies, one survivor with a full record -----------------
  const seedStarted = performance.now();
  const boot = await app.get(NetworkBootstrap).run({
    agency: {
      name: 'Network Secretariat',
      sector: 'other',
      regions: ['on-toronto'],
      contact: { name: 'S', email: 's@example.org' },
    },
    admin: { userId: 'bench-admin', displayName: 'Admin', email: 'admin@example.org' },
  });
  const admin = await token('bench-admin', boot.agencyId, ['network-admin', 'agency-admin']);
  const agency = async (name: string, sector: string) => {
    const { agencyId } = await ok(
      201,
      `apply ${name}`,
      call('POST', '/v1/agencies', admin, {
        name,
        sector,
        regions: ['on-toronto'],
        contact: { name: 'C', email: 'c@example.org' },
        requestedTier: 'core',
      }),
    );
    await retry('admission', () =>
      ok(200, 'admission', call('POST', `/v1/agencies/${agencyId as string}/admission`, admin)),
    );
    return agencyId as string;
  };
  const shelter = await agency('Synthetic Shelter', 'shelter');
  const staff = async (agencyId: string, by: string, userId: string, roles: string[]) =>
    retry(`add ${userId}`, () =>
      ok(
        201,
        `add ${userId}`,
        call('POST', `/v1/agencies/${agencyId}/staff`, by, {
          userId,
          displayName: userId,
          email: `${userId}@example.org`,
          roles,
        }),
      ),
    );
  await staff(shelter, admin, 'bench-shelter-admin', ['agency-admin']);
  const shelterAdmin = await token('bench-shelter-admin', shelter, ['agency-admin']);
  await staff(shelter, shelterAdmin, 'bench-worker', ['caseworker']);
  await staff(shelter, shelterAdmin, 'bench-super', ['supervisor']);
  const worker = await token('bench-worker', shelter, ['caseworker']);
  const supervisor = await token('bench-super', shelter, ['supervisor']);
  // The secretariat is the other agency a consent names.
  const secretariat = boot.agencyId;

  const opened = await retry('open intake', () => ok(201, 'open intake', call('POST', '/v1/intakes', worker)));
  const survivorId = opened.survivorId as string;
  for (const [section, content] of Object.entries(SECTION_EXAMPLES)) {
    const body = section === 'preferences' ? { ...content, language: 'fr-CA' } : content;
    await ok(
      200,
      `fill ${section}`,
      call('PUT', `/v1/intakes/${survivorId}/sections/${section}`, worker, { content: body }),
    );
  }
  const consent = (recipient: unknown, sections: string[]) =>
    ok(
      201,
      'consent',
      call('POST', `/v1/intakes/${survivorId}/consents`, worker, {
        recipient,
        sections,
        purposes: ['referral', 'care-coordination'],
        method: 'written',
        language: 'fr',
      }),
    );
  const kept = await consent({ kind: 'agency', agencyId: secretariat }, ['needs', 'preferences', 'housing']);
  await ok(
    200,
    'amend',
    call('POST', `/v1/intakes/${survivorId}/consents/${kept.consentId as string}/amendments`, worker, {
      sections: ['needs', 'preferences', 'housing', 'legal'],
      method: 'verbal',
      language: 'fr',
    }),
  );
  const revoked = await consent({ kind: 'sector', sector: 'legal' }, ['legal']);
  await ok(
    200,
    'revoke',
    call('POST', `/v1/intakes/${survivorId}/consents/${revoked.consentId as string}/revocation`, worker, {
      method: 'verbal',
    }),
  );
  await ok(
    201,
    'exclusion',
    call('POST', `/v1/intakes/${survivorId}/exclusions`, worker, {
      target: { kind: 'sector', sector: 'law-enforcement' },
      method: 'verbal',
      language: 'fr',
    }),
  );

  // --- The access events: real audited reads ----------------------------------------------
  const readers = [worker, supervisor];
  const purposes = ['care-coordination', 'safety-planning', 'referral'];
  for (let next = 0; next < ACCESS_EVENTS;) {
    const batch = Array.from({ length: Math.min(READ_CONCURRENCY, ACCESS_EVENTS - next) }, () => next++);
    await Promise.all(
      batch.map((i) =>
        ok(200, 'read', call('GET', `/v1/intakes/${survivorId}?purpose=${purposes[i % 3]}`, readers[i % 2])),
      ),
    );
  }
  const db = new pg.Client({ connectionString: config.DATABASE_URL });
  await db.connect();
  onClose(() => db.end());
  await retry(
    'access-log projection',
    async () => {
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_access WHERE survivor_id = $1 AND kind = 'read'",
        [survivorId],
      );
      if (rows[0].n < ACCESS_EVENTS) throw new Error(`${rows[0].n} of ${ACCESS_EVENTS} projected`);
    },
    120_000,
  );
  const seedSeconds = (performance.now() - seedStarted) / 1_000;
  const { rows } = await db.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
  console.log(
    `Harbour survivor-copy bench: PostgreSQL ${rows[0].v} (embedded, durable), Node ${process.version}, ${cpus().length} CPUs`,
  );
  console.log(
    `seeded 1 survivor (12 sections, 2 consents, 1 exclusion) and ${ACCESS_EVENTS.toLocaleString('en-US')} access events over HTTP in ${seedSeconds.toFixed(1)} s; ${COPIES} copies per format, one at a time\n`,
  );

  // --- Measure ----------------------------------------------------------------------------
  const time = async (format: 'json' | 'html') => {
    const accept = format === 'html' ? 'text/html' : 'application/json';
    const times: number[] = [];
    let bytes = 0;
    let entries = 0;
    for (let i = 0; i < COPIES + 2; i++) {
      const started = performance.now();
      const res = await call('GET', `/v1/intakes/${survivorId}/copy`, worker, undefined, accept);
      const took = performance.now() - started;
      if (res.status !== 200) throw new Error(`copy: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      if (i < 2) continue; // warm-up
      times.push(took);
      bytes = res.text.length;
      entries =
        format === 'json'
          ? (JSON.parse(res.text) as { disclosures: Array<{ entries: unknown[] }> }).disclosures.reduce(
              (n, d) => n + d.entries.length,
              0,
            )
          : (res.text.match(/<tr><td>/g) ?? []).length;
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times.at(-1)!, bytes, entries };
  };
  const json = await time('json');
  const html = await time('html');
  const f = (ms: number) => ms.toFixed(1);
  printTable([
    ['Copy', 'p50 ms', 'p95 ms', 'max ms', 'size', 'disclosure rows'],
    ['JSON', f(json.p50), f(json.p95), f(json.max), `${Math.round(json.bytes / 1024)} KiB`, String(json.entries)],
    ['HTML (fr)', f(html.p50), f(html.p95), f(html.max), `${Math.round(html.bytes / 1024)} KiB`, String(html.entries)],
  ]);
  const worst = Math.max(json.p95, html.p95);
  console.log(
    `\nTarget (issue 12): produced in < ${TARGET_MS} ms — ${worst < TARGET_MS ? 'met' : 'NOT met'} (worst p95 ${f(worst)} ms)`,
  );
});
