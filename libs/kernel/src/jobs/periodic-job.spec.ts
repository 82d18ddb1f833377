import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config.js';
import { AlwaysHeldJobLock, JobLock } from './job-lock.js';
import { type JobTimers, PeriodicJob, TAKEOVER_POLL_MS } from './periodic-job.js';
import { PeriodicJobs } from './periodic-jobs.js';

/** Timers the test moves by hand: nothing waits on the wall clock. */
class ManualTimers implements JobTimers {
  private at = Date.parse('2026-11-02T09:00:00Z');
  private pending: Array<{ due: number; callback: () => void; id: number }> = [];
  private ids = 0;

  now(): number {
    return this.at;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.pending.push({ due: this.at + ms, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }

  /** Move time on, firing every timer that falls due, and let the runs they start proceed. */
  async advance(ms: number): Promise<void> {
    const until = this.at + ms;
    for (;;) {
      await settle();
      const next = this.pending.filter((t) => t.due <= until).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.pending = this.pending.filter((t) => t !== next);
      this.at = next.due;
      next.callback();
    }
    this.at = until;
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** A run the test finishes when it wants. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const iso = (timers: ManualTimers, plusMs = 0) => new Date(timers.now() + plusMs).toISOString();

describe('PeriodicJob', () => {
  let timers: ManualTimers;
  let logged: unknown[];

  beforeEach(() => {
    timers = new ManualTimers();
    logged = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((entry: unknown) => void logged.push(entry));
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs first after its delay, then each interval after the previous run ended, and says when it runs next', async () => {
    const starts: number[] = [];
    const job = new PeriodicJob(
      { name: 'sweep', firstRunAfterMs: 1_000, everyMs: 30_000, run: async () => void starts.push(timers.now()) },
      new AlwaysHeldJobLock(),
      timers,
    );
    const t0 = timers.now();
    expect(job.status()).toMatchObject({ name: 'sweep', state: 'off', nextRunAt: null, lastRun: null });

    job.start();
    expect(job.status()).toMatchObject({ state: 'scheduled', nextRunAt: iso(timers, 1_000) });
    await timers.advance(999);
    expect(starts).toEqual([]);
    await timers.advance(1);
    expect(starts).toEqual([t0 + 1_000]);
    expect(job.status()).toMatchObject({
      lastRun: { startedAt: iso(timers), endedAt: iso(timers) },
      nextRunAt: iso(timers, 30_000),
      lastError: null,
    });
    await timers.advance(60_000);
    expect(starts).toEqual([t0 + 1_000, t0 + 31_000, t0 + 61_000]);
  });

  it('never overlaps runs: a slow run delays the next, and runNow waits for the run in flight', async () => {
    let active = 0;
    let most = 0;
    const gates: Array<ReturnType<typeof gate>> = [];
    const job = new PeriodicJob(
      {
        name: 'slow',
        firstRunAfterMs: 10,
        everyMs: 10,
        run: async () => {
          most = Math.max(most, ++active);
          const g = gate();
          gates.push(g);
          await g.opened;
          active--;
          return gates.length;
        },
      },
      new AlwaysHeldJobLock(),
      timers,
    );
    job.start();
    await timers.advance(10);
    expect(gates).toHaveLength(1);
    expect(job.status()).toMatchObject({ state: 'running', nextRunAt: null });

    await timers.advance(1_000); // far past the interval: still the one run
    expect(gates).toHaveLength(1);
    const manual = job.runNow();
    await settle();
    expect(gates).toHaveLength(1); // queued behind the scheduled run

    gates[0].open();
    await settle();
    expect(gates).toHaveLength(2); // now the manual run
    gates[1].open();
    expect(await manual).toBe(2);
    expect(most).toBe(1);
    expect(job.status().nextRunAt).toBe(iso(timers, 10)); // scheduled from the end of the slow run
    await job.stop();
  });

  it('stop() resolves only once the run in flight has finished, and nothing runs after it', async () => {
    const g = gate();
    let runs = 0;
    let finished = false;
    const job = new PeriodicJob(
      {
        name: 'busy',
        firstRunAfterMs: 5,
        everyMs: 5,
        run: async () => {
          runs++;
          await g.opened;
          finished = true;
        },
      },
      new AlwaysHeldJobLock(),
      timers,
    );
    job.start();
    await timers.advance(5);
    expect(runs).toBe(1);

    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    g.open();
    await stopping;
    expect(finished).toBe(true);
    expect(job.status()).toMatchObject({ state: 'stopped', nextRunAt: null });
    await timers.advance(1_000);
    expect(runs).toBe(1);
  });

  it('records a failure as a safe summary, logs it without its message, and still runs next time', async () => {
    let calls = 0;
    const job = new PeriodicJob(
      {
        name: 'flaky',
        firstRunAfterMs: 100,
        everyMs: 100,
        run: async () => {
          if (++calls === 1)
            throw Object.assign(new Error('duplicate key value (name)=(Synthetic Survivor)'), { code: '23505' });
        },
      },
      new AlwaysHeldJobLock(),
      timers,
    );
    job.start();
    await timers.advance(100);
    const failedAt = iso(timers);
    expect(job.status()).toMatchObject({
      lastError: { at: failedAt, error: { name: 'Error', code: '23505' } },
      nextRunAt: iso(timers, 100),
    });
    expect(JSON.stringify(job.status())).not.toContain('Synthetic');
    expect(logged).toEqual([
      { msg: 'background job failed', job: 'flaky', error: { name: 'Error', code: '23505', constraint: undefined } },
    ]);

    await timers.advance(100);
    expect(calls).toBe(2);
    expect(job.status()).toMatchObject({ lastError: null, lastRun: { startedAt: iso(timers), endedAt: iso(timers) } });
    await job.stop();
  });

  it('runs a scheduled run only while this process holds the job lock, and releases it when stopped', async () => {
    const held = new Set<string>();
    let free = false;
    class OtherProcessLock extends JobLock {
      async tryAcquire(job: string) {
        if (free) held.add(job);
        return free;
      }
      async release(job: string) {
        held.delete(job);
      }
    }
    let runs = 0;
    const job = new PeriodicJob(
      { name: 'single', firstRunAfterMs: 10, everyMs: 10, run: async () => void runs++ },
      new OtherProcessLock(),
      timers,
    );
    job.start();
    await timers.advance(30);
    expect(runs).toBe(0);
    expect(job.status()).toMatchObject({ lockHeld: false, nextRunAt: iso(timers, 10) });

    free = true;
    await timers.advance(10);
    expect(runs).toBe(1);
    expect(job.status().lockHeld).toBe(true);
    expect(held.has('single')).toBe(true);
    await job.stop();
    expect(held.has('single')).toBe(false);
  });

  /** A lock the test hands between "this process" and "another", and can break. */
  class SharedLock extends JobLock {
    owner: 'here' | 'other' | null = null;
    down = false;
    async tryAcquire() {
      if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      this.owner ??= 'here';
      return this.owner === 'here';
    }
    async release() {
      if (this.owner === 'here') this.owner = null;
    }
    breakConnection() {
      if (this.owner === 'here') this.owner = null;
      this.lost(['leader']);
    }
  }

  it('takes a job over within 2 s of its leader dying, even a job that runs once a minute, and keeps its schedule', async () => {
    const lock = new SharedLock();
    lock.owner = 'other';
    const starts: number[] = [];
    const job = new PeriodicJob(
      { name: 'leader', firstRunAfterMs: 1_000, everyMs: 60_000, run: async () => void starts.push(timers.now()) },
      lock,
      timers,
    );
    const t0 = timers.now();
    job.start();
    await timers.advance(1_000);
    expect(starts).toEqual([]);
    expect(job.status()).toMatchObject({ lockHeld: false, nextRunAt: iso(timers, 60_000) });
    await timers.advance(500);
    lock.owner = null; // the leader's session ended with its process
    await timers.advance(TAKEOVER_POLL_MS);
    expect(lock.owner).toBe('here');
    expect(job.status().lockHeld).toBe(true);
    expect(starts).toEqual([]);
    await timers.advance(60_000);
    expect(starts).toEqual([t0 + 61_000]);
    await job.stop();
    expect(lock.owner).toBeNull();
  });

  it('stops its own work at once when the lock is lost, and runs nothing until it holds the lock again', async () => {
    const lock = new SharedLock();
    let runs = 0;
    const stopped: number[] = [];
    const job = new PeriodicJob(
      {
        name: 'leader',
        firstRunAfterMs: 10,
        everyMs: 1_000,
        run: async () => void runs++,
        onLockLost: async () => void stopped.push(timers.now()),
      },
      lock,
      timers,
    );
    lock.onLost(() => void job.lockLost()); // as PeriodicJobs wires every job it defines
    job.start();
    await timers.advance(10);
    expect(runs).toBe(1);

    // The lock's connection dies: told through the lock, not at the next run.
    lock.owner = 'other';
    lock.breakConnection();
    await settle();
    expect(stopped).toEqual([timers.now()]);
    expect(job.status().lockHeld).toBe(false);
    await timers.advance(5_000);
    expect(runs).toBe(1);

    // Back with this process: runs again. Then another process takes it: stopped once more.
    lock.owner = 'here';
    await timers.advance(1_000);
    expect(runs).toBe(2);
    lock.owner = 'other';
    await timers.advance(1_000);
    expect(stopped).toHaveLength(2);
    expect(runs).toBe(2);

    // The database away: unknown whether held, so treated as lost (and no run).
    lock.owner = 'here';
    await timers.advance(1_000);
    expect(runs).toBe(3);
    lock.down = true;
    await timers.advance(1_000);
    expect(stopped).toHaveLength(3);
    expect(runs).toBe(3);
    await job.stop();
  });
});

describe('PeriodicJobs', () => {
  it('tells each job whose lock was lost, at once', async () => {
    class BreakingLock extends JobLock {
      async tryAcquire() {
        return true;
      }
      async release() {}
      break(names: string[]) {
        this.lost(names);
      }
    }
    const lock = new BreakingLock();
    const jobs = new PeriodicJobs(loadConfig({}), lock);
    const lost: string[] = [];
    for (const name of ['a', 'b'])
      jobs.define({
        name,
        firstRunAfterMs: 60_000,
        everyMs: 60_000,
        run: async () => undefined,
        onLockLost: async () => void lost.push(name),
      });
    lock.break(['b']);
    await settle();
    expect(lost).toEqual(['b']);
    expect(jobs.status().map((s) => [s.name, s.lockHeld])).toEqual([
      ['a', null],
      ['b', false],
    ]);
  });

  it('starts every job only where projections run, stops them all at shutdown, and refuses a second job of one name', async () => {
    const off = new PeriodicJobs(loadConfig({ HARBOUR_PROJECTIONS: 'false' }), new AlwaysHeldJobLock());
    off.define({ name: 'a', firstRunAfterMs: 1_000, everyMs: 1_000, run: async () => undefined });
    off.onApplicationBootstrap();
    expect(off.status()).toEqual([expect.objectContaining({ name: 'a', state: 'off', nextRunAt: null })]);

    const on = new PeriodicJobs(loadConfig({}), new AlwaysHeldJobLock());
    on.define({ name: 'a', firstRunAfterMs: 60_000, everyMs: 60_000, run: async () => undefined });
    on.define({ name: 'b', firstRunAfterMs: 60_000, everyMs: 60_000, run: async () => undefined });
    expect(() => on.define({ name: 'b', firstRunAfterMs: 1, everyMs: 1, run: async () => undefined })).toThrow(
      /already defined/,
    );
    on.onApplicationBootstrap();
    expect(on.status().map((s) => [s.name, s.state])).toEqual([
      ['a', 'scheduled'],
      ['b', 'scheduled'],
    ]);
    await on.beforeApplicationShutdown();
    expect(on.status().map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });
});
