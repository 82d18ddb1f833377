import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, type Principal } from '@harbour/auth';
import { AggregateRepository, EventStore } from '@harbour/event-store';
import { CLOCK, type Clock, DomainError, type PeriodicJob, PeriodicJobs, systemActor } from '@harbour/kernel';
import { KeyRing } from '@harbour/privacy';
import type { OfficerScope } from '../trail/officer-scope.js';
import {
  BREAK_GLASS,
  breakGlassDecider,
  type BreakGlassEvent,
  breakGlassStream,
  type Finding,
} from './break-glass.decider.js';
import { AuditErrors } from '../errors.js';

const JUSTIFICATION = 'break-glass:justification';
const NOTE = 'break-glass:review-note';

export interface PendingReview {
  grantId: string;
  survivorId: string;
  userId: string;
  agencyId: string;
  openedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
  finding: Finding | null;
  reviewerId: string | null;
  justification: string | null;
}

/** A row of audit_break_glass as the review query selects it. */
interface GrantRow {
  grant_id: string;
  survivor_id: string;
  user_id: string;
  agency_id: string;
  opened_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  finding: Finding | null;
  reviewer_id: string | null;
}

/** Emergency access: open, close, review; the `break-glass-expiry` job records expiries every minute. */
@Injectable()
export class BreakGlassService {
  private readonly job: PeriodicJob<number>;

  constructor(
    private readonly repository: AggregateRepository,
    private readonly store: EventStore,
    private readonly keys: KeyRing,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    jobs: PeriodicJobs,
  ) {
    this.job = jobs.define({
      name: 'break-glass-expiry',
      firstRunAfterMs: 60_000,
      everyMs: 60_000,
      run: () => this.expireDue(),
    });
  }

  async open(
    principal: Principal,
    requestId: string | null,
    input: { survivorId: string; justification: string; hours?: number },
  ) {
    const grantId = randomUUID();
    const justification = input.justification.trim();
    const intakeExists = (await this.store.streamVersions([`intake-${input.survivorId}`])).has(
      `intake-${input.survivorId}`,
    );
    const cipher = await this.keys.encrypt(input.survivorId, JUSTIFICATION, justification);
    return this.repository.execute({
      streamId: breakGlassStream(input.survivorId),
      decider: breakGlassDecider,
      command: {
        type: 'OpenBreakGlass',
        grantId,
        survivorId: input.survivorId,
        justification: cipher,
        justificationLength: justification.length,
        hours: input.hours ?? BREAK_GLASS.defaultHours,
        intakeExists,
      },
      context: {
        actor: actorOf(principal, principal.roles.includes('supervisor') ? 'supervisor' : undefined),
        requestId,
      },
      result: ({ state, version }) => ({
        id: grantId,
        grantId,
        survivorId: input.survivorId,
        expiresAt: state.grants[grantId].expiresAt,
        version,
      }),
    });
  }

  async close(principal: Principal, requestId: string | null, survivorId: string, grantId: string) {
    return this.repository.execute({
      streamId: breakGlassStream(survivorId),
      decider: breakGlassDecider,
      command: { type: 'CloseBreakGlass', grantId },
      context: { actor: actorOf(principal, 'supervisor'), requestId },
      result: ({ state, version }) => ({
        id: grantId,
        grantId,
        endedAt: state.grants[grantId].endedAt,
        reason: state.grants[grantId].endReason,
        version,
      }),
    });
  }

  async review(
    principal: Principal,
    scope: OfficerScope,
    requestId: string | null,
    survivorId: string,
    grantId: string,
    finding: Finding,
    note: string,
  ) {
    const cipher = await this.keys.encrypt(survivorId, NOTE, note.trim());
    return this.repository.execute({
      streamId: breakGlassStream(survivorId),
      decider: breakGlassDecider,
      command: { type: 'ReviewBreakGlass', grantId, finding, note: cipher, officerScope: scope.kind },
      context: {
        actor: actorOf(principal, scope.kind === 'network' ? 'network-privacy-officer' : 'privacy-officer'),
        requestId,
      },
      result: ({ version }) => ({ id: grantId, grantId, finding, version }),
    });
  }

  /** The review queue (newest first), justifications decrypted for the privacy officer. */
  async queue(scope: OfficerScope, status: 'pending' | 'reviewed' | 'all'): Promise<PendingReview[]> {
    const where = [status === 'pending' ? 'finding IS NULL' : status === 'reviewed' ? 'finding IS NOT NULL' : 'true'];
    const params: unknown[] = [];
    if (scope.kind === 'agency') {
      params.push(scope.agencyId);
      where.push(`agency_id = $${params.length}`);
    }
    const rows = await this.db.query<GrantRow[]>(
      `SELECT grant_id, survivor_id, user_id, agency_id, opened_at, expires_at, ended_at, end_reason, finding, reviewer_id
       FROM audit_break_glass WHERE ${where.join(' AND ')} ORDER BY position DESC LIMIT 200`,
      params,
    );
    return Promise.all(
      rows.map(async (r) => ({
        grantId: r.grant_id,
        survivorId: r.survivor_id,
        userId: r.user_id,
        agencyId: r.agency_id,
        openedAt: new Date(r.opened_at).toISOString(),
        expiresAt: new Date(r.expires_at).toISOString(),
        endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
        endReason: r.end_reason,
        finding: r.finding,
        reviewerId: r.reviewer_id,
        justification: await this.justification(r.survivor_id, r.grant_id),
      })),
    );
  }

  /** Record the end of every emergency access past its time now (never beside a scheduled sweep); returns how many. */
  sweep(): Promise<number> {
    return this.job.runNow();
  }

  private async expireDue(): Promise<number> {
    const due: Array<{ grant_id: string; survivor_id: string }> = await this.db.query(
      'SELECT grant_id, survivor_id FROM audit_break_glass WHERE ended_at IS NULL AND expires_at <= $1',
      [this.clock.now()],
    );
    for (const { grant_id: grantId, survivor_id: survivorId } of due) {
      await this.repository
        .execute({
          streamId: breakGlassStream(survivorId),
          decider: breakGlassDecider,
          command: { type: 'ExpireBreakGlass', grantId },
          context: { actor: systemActor('break-glass') },
        })
        .catch((error) => {
          if ((error as { code?: string }).code !== AuditErrors.breakGlassEnded.code) throw error; // closed meanwhile
        });
    }
    return due.length;
  }

  /** Null once the survivor's data key is erased (the justification is gone with the record). */
  private async justification(survivorId: string, grantId: string): Promise<string | null> {
    const events = await this.store.readStream(breakGlassStream(survivorId));
    const opened = events.find(
      (e) => e.type === 'BreakGlassOpened' && (e.data as { grantId: string }).grantId === grantId,
    );
    if (!opened) return null;
    try {
      return await this.keys.decrypt<string>(
        survivorId,
        JUSTIFICATION,
        (opened as unknown as Extract<BreakGlassEvent, { type: 'BreakGlassOpened' }>).data.justification,
      );
    } catch (error) {
      if (error instanceof DomainError) return null;
      throw error;
    }
  }
}
