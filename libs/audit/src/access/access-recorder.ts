import { type BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { type AppendContext, EventStore, isDuplicate, type NewEvent, type StreamAppend } from '@harbour/event-store';
import { type Actor, CLOCK, type Clock, safeErrorSummary, systemActor } from '@harbour/kernel';
import { AccessNotRecorded } from './access.errors.js';
import {
  ACCESS_LOG_VIEWED,
  ACCESS_LOG_VIEWED_SCHEMA,
  ACCESS_LOG_VIEWS,
  ACCESS_OUTCOMES,
  type AccessLogViewedV1,
  type AccessLogViewRecord,
  type AccessBasis,
  type AccessRecord,
  accessStream,
  SURVIVOR_DATA_ACCESSED,
  SURVIVOR_DATA_ACCESSED_SCHEMA,
  type SurvivorDataAccessedV1,
} from './access.events.js';

export interface AccessRecorderOptions {
  /** Most events written in one transaction (default 500). */
  maxGroupSize?: number;
  /** Streams appended in parallel when a group is retried survivor by survivor (default 4). */
  fallbackConcurrency?: number;
}

export const ACCESS_RECORDER_OPTIONS = Symbol('AccessRecorderOptions');

/**
 * One append carries one envelope context for all its events, while a group mixes many
 * requests and actors; so the envelope names the recorder, and the payload (actor,
 * requestId, route) is the authoritative record of who read what.
 */
export const ACCESS_RECORDER_ACTOR: Actor = systemActor('access-recorder');
const CONTEXT: AppendContext = {
  actor: ACCESS_RECORDER_ACTOR,
  requestId: null,
  correlationId: null,
  causationId: null,
};

interface Pending {
  streamId: string;
  event: NewEvent<SurvivorDataAccessedV1 | AccessLogViewedV1>;
  resolve(): void;
  reject(error: AccessNotRecorded): void;
}

/**
 * Records access events (fail closed): `record` resolves only once that caller's event is
 * committed, and rejects with AccessNotRecorded otherwise — the caller then refuses the read.
 *
 * Group commit, without timers: while one append is in flight, records queue up; when it
 * finishes, everything queued (up to maxGroupSize) goes out in ONE appendMany — one
 * transaction, each survivor's events in its own stream in arrival order. A lone record goes
 * out at once (after one microtask, so records issued in the same tick share the first
 * append). Only one append is in flight per recorder, which also keeps each stream's events in
 * arrival order across groups. If a grouped append fails, each survivor's events are retried
 * as a separate append, so one bad stream cannot refuse everyone else's reads.
 */
@Injectable()
export class AccessRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AccessRecorder.name);
  private readonly maxGroupSize: number;
  private readonly fallbackConcurrency: number;
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(ACCESS_RECORDER_OPTIONS) options?: AccessRecorderOptions,
  ) {
    this.maxGroupSize = Math.max(1, Math.min(options?.maxGroupSize ?? 500, 10_000));
    this.fallbackConcurrency = Math.max(1, options?.fallbackConcurrency ?? 4);
  }

  /** Resolves once this access event is committed; AccessNotRecorded otherwise. */
  record(access: AccessRecord): Promise<void> {
    let data: SurvivorDataAccessedV1;
    try {
      data = toPayload(access, this.clock);
    } catch (error) {
      return Promise.reject(new AccessNotRecorded('invalid-record', error));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        streamId: accessStream(data.survivorId),
        event: { type: SURVIVOR_DATA_ACCESSED, schemaVersion: SURVIVOR_DATA_ACCESSED_SCHEMA, data },
        resolve,
        reject,
      });
      this.drain();
    });
  }

  /**
   * Records that these survivors' access trails were shown (one AccessLogViewed each), in the
   * same groups as reads; resolves once all are committed, AccessNotRecorded otherwise — the
   * caller then refuses to answer (fail closed, like a read).
   */
  recordLogViews(views: readonly AccessLogViewRecord[]): Promise<void> {
    let payloads: AccessLogViewedV1[];
    try {
      payloads = views.map((v) => toViewPayload(v, this.clock));
    } catch (error) {
      return Promise.reject(new AccessNotRecorded('invalid-record', error));
    }
    return Promise.all(
      payloads.map(
        (data) =>
          new Promise<void>((resolve, reject) => {
            this.queue.push({
              streamId: accessStream(data.survivorId),
              event: { type: ACCESS_LOG_VIEWED, schemaVersion: ACCESS_LOG_VIEWED_SCHEMA, data },
              resolve,
              reject,
            });
            this.drain();
          }),
      ),
    ).then(() => undefined);
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private drain(): void {
    if (this.draining || this.queue.length === 0) return;
    this.draining = (async () => {
      await Promise.resolve();
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroupSize);
        try {
          await this.commit(group);
        } catch (error) {
          // commit settles every caller itself; this is only a last guard.
          group.forEach((p) => p.reject(new AccessNotRecorded('store-failed', error)));
        }
      }
    })().finally(() => {
      this.draining = null;
      this.drain();
    });
  }

  private async commit(group: Pending[]): Promise<void> {
    const byStream = new Map<string, Pending[]>();
    for (const pending of group) {
      const list = byStream.get(pending.streamId);
      if (list) list.push(pending);
      else byStream.set(pending.streamId, [pending]);
    }
    try {
      await this.append([...byStream.values()]);
      group.forEach((p) => p.resolve());
      return;
    } catch (error) {
      if (byStream.size === 1) return this.fail(group, error);
      this.logger.warn({
        msg: 'grouped access append failed; retrying survivor by survivor',
        streams: byStream.size,
        events: group.length,
        error: safeErrorSummary(error),
      });
    }
    const streams = [...byStream.values()];
    let next = 0;
    const worker = async () => {
      while (next < streams.length) {
        const pendings = streams[next++];
        try {
          await this.append([pendings]);
          pendings.forEach((p) => p.resolve());
        } catch (error) {
          this.fail(pendings, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.fallbackConcurrency, streams.length) }, worker));
  }

  private async append(streams: Pending[][]): Promise<void> {
    const appends: StreamAppend[] = streams.map((pendings) => ({
      streamId: pendings[0].streamId,
      expected: 'any',
      events: pendings.map((p) => p.event),
    }));
    const result = await this.store.appendMany(appends, CONTEXT);
    // No idempotency record is passed, so a duplicate answer would mean nothing was written.
    if (isDuplicate(result)) throw new Error('unexpected duplicate answer to an access append');
  }

  private fail(pendings: Pending[], error: unknown): void {
    this.logger.error({
      msg: 'access events not recorded; the reads are refused',
      events: pendings.length,
      error: safeErrorSummary(error),
    });
    pendings.forEach((p) => p.reject(new AccessNotRecorded('store-failed', error)));
  }
}

/** Names: sections, reasons, purposes, roles (lower-case words with hyphens). */
const NAME = /^[a-z][a-z0-9-]{0,63}$/;
/** Ids: survivor, user, agency, consent, request ids. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
/** The caller's X-Request-Id: the same plain token the API accepts (apps/api/src/http/request-id.ts). */
const CLIENT_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** A route template, never a concrete URL with a query string (searches carry names). */
const ROUTE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|CLI) \/[A-Za-z0-9/:._~{}-]{0,200}$/;

function check(ok: boolean, what: string): void {
  if (!ok) throw new TypeError(`access record: invalid ${what}`);
}
const name = (value: unknown, what: string): string => (
  check(typeof value === 'string' && NAME.test(value), what),
  value as string
);
const id = (value: unknown, what: string): string => (
  check(typeof value === 'string' && ID.test(value), what),
  value as string
);
const idOrNull = (value: unknown, what: string): string | null => (value === null ? null : id(value, what));
const list = <T>(value: unknown, what: string): readonly T[] => (
  check(Array.isArray(value) && value.length <= 64, what),
  value as readonly T[]
);

/**
 * The payload, copied field by field (never spread), so nothing beyond the named fields can
 * reach the log. Messages name the field, never the value.
 */
function toPayload(access: AccessRecord, clock: Clock): SurvivorDataAccessedV1 {
  check(typeof access === 'object' && access !== null, 'record');
  const actor = access.actor;
  check(typeof actor === 'object' && actor !== null, 'actor');
  const sectionsReturned = list<string>(access.sectionsReturned, 'sectionsReturned').map((s) =>
    name(s, 'sectionsReturned'),
  );
  const sectionsWithheld = list<AccessRecord['sectionsWithheld'][number]>(
    access.sectionsWithheld,
    'sectionsWithheld',
  ).map((w) => {
    check(typeof w === 'object' && w !== null, 'sectionsWithheld');
    return { section: name(w.section, 'sectionsWithheld.section'), reason: name(w.reason, 'sectionsWithheld.reason') };
  });
  const basis = list<AccessBasis>(access.basis, 'basis').map((b): AccessBasis => {
    check(typeof b === 'object' && b !== null, 'basis');
    const section = name(b.section, 'basis.section');
    check(sectionsReturned.includes(section), 'basis.section (not among sectionsReturned)');
    switch (b.kind) {
      case 'care-team':
        return { section, kind: 'care-team' };
      case 'break-glass':
        return { section, kind: 'break-glass', grantId: id(b.grantId, 'basis.grantId') };
      case 'consent':
        check(Number.isSafeInteger(b.version) && b.version >= 0, 'basis.version');
        return { section, kind: 'consent', consentId: id(b.consentId, 'basis.consentId'), version: b.version };
      default:
        throw new TypeError('access record: invalid basis.kind');
    }
  });
  check(new Set(sectionsReturned).size === sectionsReturned.length, 'sectionsReturned (repeated)');
  check(!sectionsWithheld.some((w) => sectionsReturned.includes(w.section)), 'sectionsWithheld (also returned)');
  const outcome = access.outcome;
  check(ACCESS_OUTCOMES.includes(outcome), 'outcome');
  const expected = sectionsReturned.length === 0 ? 'denied' : sectionsWithheld.length === 0 ? 'permitted' : 'partial';
  check(outcome === expected, 'outcome (does not match the sections)');
  const at = access.at ?? clock.now();
  check(at instanceof Date && !Number.isNaN(at.getTime()), 'at');
  const decidedAt = access.decidedAt;
  check(decidedAt === undefined || (decidedAt instanceof Date && !Number.isNaN(decidedAt.getTime())), 'decidedAt');
  const consentStreamVersion = access.consentStreamVersion;
  check(
    consentStreamVersion === undefined || (Number.isSafeInteger(consentStreamVersion) && consentStreamVersion >= -1),
    'consentStreamVersion',
  );
  const clientRequestId = access.clientRequestId ?? undefined;
  check(
    clientRequestId === undefined || (typeof clientRequestId === 'string' && CLIENT_ID.test(clientRequestId)),
    'clientRequestId',
  );
  return {
    survivorId: id(access.survivorId, 'survivorId'),
    actor: {
      userId: id(actor.userId, 'actor.userId'),
      agencyId: idOrNull(actor.agencyId, 'actor.agencyId'),
      role: actor.role === null ? null : name(actor.role, 'actor.role'),
    },
    sectionsReturned,
    sectionsWithheld,
    purpose: name(access.purpose, 'purpose'),
    basis,
    outcome,
    requestId: id(access.requestId, 'requestId'),
    route: (check(typeof access.route === 'string' && ROUTE.test(access.route), 'route'), access.route),
    at: at.toISOString(),
    // Only when known, so an event without them reads exactly as before.
    ...(decidedAt ? { decidedAt: decidedAt.toISOString() } : {}),
    ...(consentStreamVersion !== undefined ? { consentStreamVersion } : {}),
    ...(clientRequestId !== undefined ? { clientRequestId } : {}),
  };
}

function toViewPayload(view: AccessLogViewRecord, clock: Clock): AccessLogViewedV1 {
  check(typeof view === 'object' && view !== null, 'record');
  const viewer = view.viewer;
  check(typeof viewer === 'object' && viewer !== null, 'viewer');
  check(ACCESS_LOG_VIEWS.includes(view.view), 'view');
  const at = view.at ?? clock.now();
  check(at instanceof Date && !Number.isNaN(at.getTime()), 'at');
  return {
    survivorId: id(view.survivorId, 'survivorId'),
    viewer: {
      userId: id(viewer.userId, 'viewer.userId'),
      agencyId: idOrNull(viewer.agencyId, 'viewer.agencyId'),
      role: viewer.role === null ? null : name(viewer.role, 'viewer.role'),
    },
    view: view.view,
    requestId: id(view.requestId, 'requestId'),
    route: (check(typeof view.route === 'string' && ROUTE.test(view.route), 'route'), view.route),
    at: at.toISOString(),
  };
}
