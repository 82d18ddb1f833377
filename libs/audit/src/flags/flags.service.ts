import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, type Principal } from '@harbour/auth';
import { ConcurrencyConflict, EventStore } from '@harbour/event-store';
import { CLOCK, type Clock, DomainError, NotFound, ValidationFailed } from '@harbour/kernel';
import { AuditErrors } from '../errors.js';
import type { OfficerScope } from '../trail/officer-scope.js';
import { FLAG_RESOLVED, type FlagResolution, type FlagResolvedV1, flagStream } from './flag.events.js';

export interface FlagItem {
  flagId: string;
  rule: string;
  userId: string;
  agencyId: string | null;
  survivorId: string | null;
  day: string;
  details: Record<string, unknown>;
  raisedAt: string;
  status: 'open' | 'resolved';
  resolution: string | null;
  note: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

/** A row of audit_flags as the list query selects it. */
interface FlagRow {
  flag_id: string;
  rule: string;
  user_id: string;
  agency_id: string | null;
  survivor_id: string | null;
  day: string;
  details: Record<string, unknown>;
  raised_at: Date;
  status: FlagItem['status'];
  resolution: string | null;
  note: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  position: string;
}

/** Flags for privacy officers: scoped to the staff member's agency (or all, for the network). */
@Injectable()
export class FlagsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async page(
    scope: OfficerScope,
    status: 'open' | 'resolved' | 'all',
    cursor: string | undefined,
    limit: number,
  ): Promise<{ items: FlagItem[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (scope.kind === 'agency') where.push(`agency_id = $${params.push(scope.agencyId)}`);
    if (status !== 'all') where.push(`status = $${params.push(status)}`);
    const after = decodeFlagCursor(cursor);
    if (after)
      where.push(
        `(position < $${params.push(after.position)} OR (position = $${params.length} AND flag_id > $${params.push(after.flagId)}::uuid))`,
      );
    const rows = await this.db.query<FlagRow[]>(
      `SELECT flag_id::text AS flag_id, rule, user_id, agency_id, survivor_id, to_char(day, 'YYYY-MM-DD') AS day, details, raised_at, status, resolution, note,
              resolved_by, resolved_at, position::text AS position
       FROM audit_flags ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_flags.position DESC, audit_flags.flag_id LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        flagId: r.flag_id,
        rule: r.rule,
        userId: r.user_id,
        agencyId: r.agency_id,
        survivorId: r.survivor_id,
        day: r.day,
        details: r.details,
        raisedAt: new Date(r.raised_at).toISOString(),
        status: r.status,
        resolution: r.resolution,
        note: r.note,
        resolvedBy: r.resolved_by,
        resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
      })),
      // Several flags can come from one event (same position): the cursor names the flag too.
      nextCursor: more
        ? Buffer.from(`f:${page.at(-1)!.position}:${page.at(-1)!.flag_id}`, 'utf8').toString('base64url')
        : null,
    };
  }

  async resolve(
    principal: Principal,
    scope: OfficerScope,
    requestId: string | null,
    flagId: string,
    resolution: FlagResolution,
    note: string,
  ) {
    const rows: Array<{ agency_id: string | null; status: string; user_id: string }> = await this.db.query(
      'SELECT agency_id, status, user_id FROM audit_flags WHERE flag_id = $1',
      [flagId],
    );
    const flag = rows[0];
    if (!flag || (scope.kind === 'agency' && flag.agency_id !== scope.agencyId))
      throw new NotFound('Flag', AuditErrors.flagNotFound);
    if (flag.user_id === principal.userId) throw DomainError.of(AuditErrors.ownFlag);
    if (flag.status !== 'open') throw DomainError.of(AuditErrors.flagResolved);
    const data: FlagResolvedV1 = {
      flagId,
      resolution,
      note: note.trim(),
      resolvedBy: actorOf(principal, scope.kind === 'network' ? 'network-privacy-officer' : 'privacy-officer'),
      resolvedAt: this.clock.now().toISOString(),
    };
    try {
      await this.store.append(flagStream(flagId), 'no-stream', [{ type: FLAG_RESOLVED, data }], {
        actor: data.resolvedBy,
        requestId,
      });
    } catch (error) {
      if (error instanceof ConcurrencyConflict) throw DomainError.of(AuditErrors.flagResolved);
      throw error;
    }
    // The resolution is the first and only event of the flag's stream: version 0.
    return { id: flagId, version: 0, flagId, resolution, resolvedAt: data.resolvedAt };
  }
}

function decodeFlagCursor(cursor: string | undefined): { position: string; flagId: string } | null {
  if (cursor === undefined) return null;
  const m = /^f:(\d{1,19}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ValidationFailed([{ field: 'cursor', problem: 'must be a cursor returned by a previous page' }]);
  return { position: m[1], flagId: m[2] };
}
