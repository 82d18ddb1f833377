import { Inject, Injectable } from '@nestjs/common';
import { type Principal } from '@harbour/auth';
import { EventStore } from '@harbour/event-store';
import { CLOCK, type Clock, NotFound, newId } from '@harbour/kernel';
import { AccessGate } from '@harbour/intake';
import { KeyRing } from '@harbour/privacy';
import { SharingErrors as E } from '../errors.js';
import { MATCH_THRESHOLD, type MatchIdentity } from './clk.js';
import { Matcher } from './matcher.js';

export const DUPLICATE_ADVICE =
  'This person may already have a record in the network — ask them whether they want to bring it (share code), or continue';

export const duplicateCheckStream = (survivorId: string) => `duplicate-check-${survivorId}`;

/** The audit fact of one check (stream `duplicate-check-<survivorId>`): never the matched record. */
export interface DuplicateCheckMade {
  type: 'DuplicateCheckMade';
  data: {
    checkId: string;
    survivorId: string;
    checkedBy: { userId: string; agencyId: string };
    possibleDuplicate: boolean;
    /** Why no comparison was made, when none was: `no-identity`, `linked`. */
    skipped: 'no-identity' | 'linked' | null;
    threshold: number;
    checkedAt: string;
  };
}

export interface DuplicateCheckAnswer {
  survivorId: string;
  possibleDuplicate: boolean;
  advice: string | null;
  checkedAt: string;
}

export const ROUTE = 'GET /v1/intakes/:survivorId/duplicate-check';

/**
 * `GET /v1/intakes/{id}/duplicate-check`: the care team asks whether the person of this intake may
 * already have a record. The gate admits the care team only and records the access event (the
 * identity section is read to encode it); the check itself is a `DuplicateCheckMade` event. The
 * answer says yes or no and gives the advice: never which record, agency or how close.
 */
@Injectable()
export class DuplicateCheck {
  constructor(
    private readonly gate: AccessGate,
    private readonly keys: KeyRing,
    private readonly matcher: Matcher,
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async check(principal: Principal, survivorId: string, requestId: string): Promise<DuplicateCheckAnswer> {
    let identity: MatchIdentity | null = null;
    let linked = false;
    const admissions = await this.gate.admit(
      {
        principal,
        survivorIds: [survivorId],
        sections: ['identity'],
        purpose: 'care-coordination',
        requestId,
        route: ROUTE,
        careTeamOnly: true,
      },
      async ({ decision, intake }) => {
        if (decision.outcome === 'denied' || intake.status !== 'open') return;
        linked = Boolean(intake.link);
        const entry = intake.sections.identity;
        if (entry) identity = await this.keys.decrypt<MatchIdentity>(survivorId, 'intake:identity', entry.content);
      },
    );
    const admission = admissions.get(survivorId)!;
    if (!admission.exists) throw new NotFound('Intake', E.intakeNotFound);
    if (admission.decision.outcome === 'denied') throw this.gate.refusal(admission, E.accessDenied);
    const skipped = linked ? 'linked' : identity ? null : 'no-identity';
    const matches = skipped || !identity ? 0 : await this.matcher.check(survivorId, identity);
    const checkedAt = this.clock.now().toISOString();
    const possibleDuplicate = matches > 0;
    const actor = this.gate.actorOf(principal);
    const event: DuplicateCheckMade = {
      type: 'DuplicateCheckMade',
      data: {
        checkId: newId(),
        survivorId,
        checkedBy: { userId: principal.userId, agencyId: principal.agencyId },
        possibleDuplicate,
        skipped,
        threshold: MATCH_THRESHOLD,
        checkedAt,
      },
    };
    await this.store.append(duplicateCheckStream(survivorId), 'any', [{ ...event, schemaVersion: 1 }], {
      actor,
      requestId,
    });
    return { survivorId, possibleDuplicate, advice: possibleDuplicate ? DUPLICATE_ADVICE : null, checkedAt };
  }
}
