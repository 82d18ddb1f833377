import { Body, Controller, Get, HttpCode, Injectable, type OnModuleInit, Post } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { Public } from '@harbour/auth';
import { EventStore, ProjectionRunner, type Projection, type StoredEvent } from '@harbour/event-store';
import { PeriodicJobs } from '@harbour/kernel';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork } from '../support/network.js';
import { eventually, testActor } from '../support/store-context.js';

const BODY_MARKER = 'SYNTHETIC-BODY-MARKER-9d2b71';
const QUERY_MARKER = 'SYNTHETIC-QUERY-MARKER-3e8a40';

/** A tiny read model kept in memory: enough for /health to have a projection to report. */
@Injectable()
class PingCounter implements Projection, OnModuleInit {
  readonly name = 'test-ping-counter';
  readonly eventTypes = ['Pinged'];
  seen = 0;

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(_event: StoredEvent): Promise<void> {
    this.seen += 1;
  }

  async reset(): Promise<void> {
    this.seen = 0;
  }
}

/** Fails on every event it is given while `failing` is set (a bug in a read model). */
@Injectable()
class FragileProjection implements Projection, OnModuleInit {
  readonly name = 'test-fragile';
  readonly eventTypes = ['Poisoned'];
  failing = true;

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(): Promise<void> {
    if (this.failing) throw new Error('cannot project this');
  }

  async reset(): Promise<void> {}
}

const JOB_MARKER = 'SYNTHETIC-JOB-MARKER-51c0aa';

/** A background job whose every run fails with a message that must never be shown or logged. */
@Injectable()
class FailingJob {
  runs = 0;

  constructor(jobs: PeriodicJobs) {
    jobs.define({
      name: 'test-failing',
      firstRunAfterMs: 10,
      everyMs: 50,
      run: async () => {
        this.runs++;
        throw Object.assign(new Error(`cannot sweep ${JOB_MARKER}`), { code: '23505' });
      },
    });
  }
}

class NoteDto {
  @IsString()
  text!: string;

  @IsInt()
  @Min(1)
  count!: number;
}

// Public: these routes test the HTTP shell, not sign-in (the global AuthGuard skips them).
@Public()
@Controller('test-notes')
class NotesController {
  @Post()
  @HttpCode(204)
  add(@Body() _note: NoteDto): void {}

  @Get('boom')
  boom(): never {
    throw new Error('secret survivor text');
  }
}

/** Every line the app logs; pino writes each JSON line synchronously to `write`. */
class CapturedLog implements DestinationStream {
  readonly lines: string[] = [];

  write(text: string): void {
    this.lines.push(...text.split('\n').filter((line) => line.length > 0));
  }

  get text(): string {
    return this.lines.join('\n');
  }

  entries(): Array<Record<string, any>> {
    return this.lines.map((line) => JSON.parse(line));
  }

  /** The automatic "request completed/errored" lines of one request. */
  requestLines(id: string) {
    return this.entries().filter((e) => e.req?.id === id && e.res);
  }
}

describe('/health and request logs', () => {
  let t: TestApp;
  let log: CapturedLog;
  let admin: string;
  let caseworker: string;
  const http = () => request(t.app.getHttpServer());
  /** The operators' view: every check's detail, for network admins only. */
  const details = () => http().get('/v1/operations/health').set('Authorization', admin);
  const projectionOnHealth = async () => {
    const res = await details();
    expect(res.status).toBe(200);
    return (res.body.info.projections.projections as Array<Record<string, unknown>>).find(
      (p) => p.name === 'test-ping-counter',
    );
  };

  beforeAll(async () => {
    log = new CapturedLog();
    // nestjs-pino builds one logger per process (here: per test file), so one app per file.
    t = await startTestApp({
      controllers: [NotesController],
      providers: [PingCounter, FragileProjection, FailingJob],
      env: { LOG_LEVEL: 'info' },
      logDestination: log,
    });
    const net = await buildNetwork(t);
    admin = await net.auth('admin');
    await net.staff(net.secretariat, 'casey', ['caseworker']);
    caseworker = await net.auth('casey');
  });
  afterAll(() => t?.close());

  describe('GET /health (public)', () => {
    it('says only up: 200 {"status":"ok"}, no projection, position or job', async () => {
      const res = await http().get('/health').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('GET /v1/operations/health (network admins)', () => {
    it('is refused without a token, and to staff who are not network admins', async () => {
      expect((await http().get('/v1/operations/health')).status).toBe(401);
      expect((await http().get('/v1/operations/health').set('Authorization', caseworker)).status).toBe(403);
    });

    it('is 200 JSON with the database up and each projection listed with its lag', async () => {
      const res = await details().expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.database).toMatchObject({ status: 'up' });
      expect(res.body.info.projections.status).toBe('up');
      // Background jobs append now and then (reminders, checkpoints): the lag is 0 once they are applied.
      await eventually(async () => {
        const now = await details().expect(200);
        const ours = now.body.info.projections.projections.filter((p: { name: string }) => p.name.startsWith('test-'));
        expect(ours).toEqual([
          { name: 'test-fragile', state: 'running', checkpoint: expect.stringMatching(/^\d+$/), lag: 0 },
          { name: 'test-ping-counter', state: 'running', checkpoint: expect.stringMatching(/^\d+$/), lag: 0 },
        ]);
      });
    });

    it('lists every background job with its last run, last error and next run', async () => {
      const res = await details().expect(200);
      expect(res.body.info.jobs.status).toBe('up');
      const jobs = res.body.info.jobs.jobs as Array<{
        name: string;
        state: string;
        nextRunAt: string | null;
        everyMs: number;
      }>;
      expect(jobs.map((j) => j.name).sort()).toEqual([
        'action-plan-reminders',
        'break-glass-expiry',
        'consent-reminders',
        'console-session-sweep',
        'motion-closer',
        'notary',
        'notification-delivery',
        'offer-request-expiry',
        'projections',
        'referral-expiry',
        'retention',
        'test-failing',
        'webhook-delivery',
      ]);
      for (const job of jobs.filter((j) => !j.name.startsWith('test-'))) {
        expect(Object.keys(job).sort()).toEqual([
          'everyMs',
          'lastError',
          'lastRun',
          'lockHeld',
          'name',
          'nextRunAt',
          'state',
        ]);
        expect(job).toMatchObject({ state: expect.stringMatching(/^(scheduled|running)$/), lastError: null });
      }
      const motions = jobs.find((j) => j.name === 'motion-closer')!;
      expect(motions).toMatchObject({ everyMs: 60_000, lastRun: null, lockHeld: true });
      expect(Date.parse(motions.nextRunAt!)).toBeGreaterThan(Date.now());
    });

    it('shows a failing job’s last error as a safe summary (never its message), logs it so, and keeps it running', async () => {
      const failing = t.app.get(FailingJob);
      const status = await eventually(async () => {
        expect(failing.runs).toBeGreaterThanOrEqual(2); // the schedule goes on after a failure
        const res = await details().expect(200); // a failed job does not take the process out of rotation
        return (res.body.info.jobs.jobs as Array<Record<string, any>>).find((j) => j.name === 'test-failing')!;
      });
      expect(status).toMatchObject({
        lastError: { at: expect.any(String), error: { name: 'Error', code: '23505' } },
        lastRun: { startedAt: expect.any(String) },
      });
      expect(JSON.stringify(status)).not.toContain(JOB_MARKER);
      const lines = log.entries().filter((e) => e.msg === 'background job failed' && e.job === 'test-failing');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines[0]).toMatchObject({ level: 50, error: { name: 'Error', code: '23505' } });
      expect(log.lines.join('\n')).not.toContain(JOB_MARKER);
    });

    it('reports lag while a projection is behind, then lag 0 and a moved checkpoint once it caught up', async () => {
      const runner = t.app.get(ProjectionRunner);
      const store = t.app.get(EventStore);
      const counter = t.app.get(PingCounter);
      await runner.stop('test-ping-counter');
      const stopped = (await projectionOnHealth())!;
      await store.append(
        'pinger-1',
        'no-stream',
        [
          { type: 'Pinged', data: { n: 1 } },
          { type: 'Pinged', data: { n: 2 } },
        ],
        { actor: testActor },
      );
      expect(await projectionOnHealth()).toEqual({
        name: 'test-ping-counter',
        state: 'stopped',
        checkpoint: stopped.checkpoint,
        lag: (stopped.lag as number) + 2,
      });

      await runner.start('test-ping-counter');
      const caughtUp = await eventually(async () => {
        const status = await projectionOnHealth();
        expect(status).toMatchObject({ state: 'running', lag: 0 });
        return status!;
      });
      expect(BigInt(caughtUp.checkpoint as string)).toBeGreaterThan(BigInt(stopped.checkpoint as string));
      expect(counter.seen).toBe(2);
    });

    it('is 503 with the full result, naming the failed projection, until it is fixed and restarted', async () => {
      const fragile = t.app.get(FragileProjection);
      await t.app
        .get(EventStore)
        .append('poison-1', 'no-stream', [{ type: 'Poisoned', data: {} }], { actor: testActor });
      const down = await eventually(async () => {
        const res = await details();
        expect(res.status).toBe(503);
        return res;
      });
      expect(down.headers['content-type']).toMatch(/^application\/json/);
      expect(down.body).toMatchObject({
        status: 'error',
        info: { database: { status: 'up' } },
        error: { projections: { status: 'down', failed: ['test-fragile'] } },
      });
      // The public probe says down and which kind of check failed, never which projection.
      const publicDown = await http().get('/health').expect(503);
      expect(publicDown.body).toEqual({ status: 'error', failing: ['projections'] });
      const failed = down.body.error.projections.projections.find((p: { name: string }) => p.name === 'test-fragile');
      expect(failed).toMatchObject({ state: 'failed', lag: expect.any(Number) });
      expect(failed.lag).toBeGreaterThanOrEqual(1);

      fragile.failing = false;
      await t.app.get(ProjectionRunner).start('test-fragile');
      await eventually(async () => {
        const res = await details();
        expect(res.status).toBe(200);
        expect(res.body.info.projections.projections).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ name: 'test-fragile', state: 'running', lag: 0 }),
            expect.objectContaining({ name: 'test-ping-counter', state: 'running', lag: 0 }),
          ]),
        );
      });
    });
  });

  describe('request logs', () => {
    it('are JSON lines with Harbour’s request id, the caller’s as clientRequestId, method, path and status, one per request', async () => {
      const clientRequestId = 'health-check-0001';
      const res = await http().get('/health').set('X-Request-Id', clientRequestId).expect(200);
      const id = res.headers['x-request-id'];
      expect(id).not.toBe(clientRequestId);
      await eventually(() => expect(log.requestLines(id).length).toBeGreaterThan(0));
      // Both of a doubly mounted logger's lines would be written on the same "finish" event.
      expect(log.requestLines(id)).toEqual([
        expect.objectContaining({
          level: 30,
          msg: 'request completed',
          req: { id, method: 'GET', path: '/health', clientRequestId },
          res: { statusCode: 200 },
        }),
      ]);
      const notFound = await http().get('/v1/nowhere').expect(404);
      const notFoundId = notFound.headers['x-request-id'];
      await eventually(() =>
        expect(log.requestLines(notFoundId)).toEqual([
          expect.objectContaining({ level: 40, req: { id: notFoundId, method: 'GET', path: '/v1/nowhere' } }),
        ]),
      );
    });

    it('keep a caller’s X-Request-Id only when it is a plain token of 8 to 64 characters', async () => {
      for (const given of ['has spaces in it', 'a'.repeat(65), 'abc', '<script>alert(1)</script>']) {
        const res = await http().get('/health').set('X-Request-Id', given).expect(200);
        const id = res.headers['x-request-id'];
        await eventually(() => expect(log.requestLines(id)).toHaveLength(1));
        expect(log.requestLines(id)[0].req).toEqual({ id, method: 'GET', path: '/health' });
      }
      expect(log.text).not.toContain('<script>');
    });

    it('never contain request bodies, query strings or headers', async () => {
      const acceptedRes = await http()
        .post(`/v1/test-notes?q=${QUERY_MARKER}`)
        .set('Authorization', `Bearer ${BODY_MARKER}`)
        .send({ text: BODY_MARKER, count: 1 })
        .expect(204);
      const refusedRes = await http()
        .post(`/v1/test-notes?q=${QUERY_MARKER}`)
        .send({ text: BODY_MARKER, count: 0, extra: BODY_MARKER })
        .expect(400);
      const accepted = acceptedRes.headers['x-request-id'];
      const refused = refusedRes.headers['x-request-id'];
      await http()
        .post('/v1/test-notes')
        .set('Content-Type', 'application/json')
        .send(`{"text": ${BODY_MARKER}`)
        .expect(400);
      await eventually(() => {
        expect(log.requestLines(accepted)).toHaveLength(1);
        expect(log.requestLines(refused)).toHaveLength(1);
      });

      expect(log.requestLines(accepted)[0]).toMatchObject({
        req: { id: accepted, method: 'POST', path: '/v1/test-notes' },
        res: { statusCode: 204 },
      });
      expect(log.requestLines(refused)[0]).toMatchObject({
        req: { id: refused, path: '/v1/test-notes' },
        res: { statusCode: 400 },
      });
      expect(() => log.entries()).not.toThrow();
      expect(log.text).not.toContain(BODY_MARKER);
      expect(log.text).not.toContain(QUERY_MARKER);
      expect(log.text).not.toContain('?q=');
      expect(log.text.toLowerCase()).not.toContain('authorization');
    });

    it('record an unexpected error by its class only, never its message', async () => {
      const id = (await http().get('/v1/test-notes/boom').expect(500)).headers['x-request-id'];
      await eventually(() => expect(log.requestLines(id)).toHaveLength(1));
      expect(log.entries().filter((e) => e.requestId === id)).toEqual([
        expect.objectContaining({ level: 50, msg: 'request failed', context: 'Errors', error: { name: 'Error' } }),
      ]);
      expect(log.requestLines(id)[0]).toMatchObject({ level: 50, res: { statusCode: 500 } });
      expect(log.text).not.toContain('secret survivor text');
    });
  });
});
