import { Injectable } from '@nestjs/common';
import { StreamHistory } from '@harbour/event-store';
import { NotFound } from '@harbour/kernel';
import { markRecorded, type Principal } from '@harbour/auth';
import type { AccessDecision, Section } from '@harbour/consent';
import { KeyRing } from '@harbour/privacy';
import { AccessGate, type Admission } from '../gate/access-gate.js';
import { intakeDecider, type IntakeState, intakeStream } from './intake.decider.js';
import { INTAKE_SNAPSHOT_KIND } from './intake-snapshots.js';
import { IntakeErrors } from '../errors.js';
import { type Purpose } from '@harbour/vocabulary';

export interface ReadRequest {
  principal: Principal;
  survivorId: string;
  purpose: Purpose;
  sections: readonly Section[];
  /** Read the intake as it stood at this instant (default: now). */
  asOf?: Date;
  requestId: string;
  route: string;
  /** Only the care team may read (the survivor's own copy): no consent or referral stands in for it. */
  careTeamOnly?: boolean;
}

export interface SurvivorRecord {
  survivorId: string;
  asOf: string | null;
  /** Stream version the answer reflects. */
  version: number;
  purpose: Purpose;
  sections: Partial<Record<Section, unknown>>;
  /** Sections not returned, with why; never their content. */
  withheld: Array<{ section: Section; reason: string }>;
  /** Which permit each returned section rests on. */
  basis: AccessDecision['sections'];
  /** Closed as a second record of this survivor: read the linked record instead (null: its own record). */
  linkedTo?: string | null;
}

/**
 * The intake read: the access gate decides per section and records the access event; this
 * decrypts what is permitted (between the decision and the record) and answers only after the
 * event is committed. A denied read is recorded too; a caller with no relation to the record
 * gets the same 404 as for an id that names no intake (no existence oracle).
 */
@Injectable()
export class SurvivorRecordReader {
  constructor(
    private readonly history: StreamHistory,
    private readonly keys: KeyRing,
    private readonly gate: AccessGate,
  ) {}

  async read(request: ReadRequest): Promise<SurvivorRecord> {
    return (await this.admitAndRead(request)).record;
  }

  /**
   * The read, with the gate's admission it rests on: a route that answers more than the sections
   * (the survivor's own copy) shows the rest only on this admission, under the same access event.
   */
  async admitAndRead(request: ReadRequest): Promise<{ record: SurvivorRecord; admission: Admission }> {
    const { survivorId } = request;
    const sections: Partial<Record<Section, unknown>> = {};
    let version = -1;
    const admissions = await this.gate.admit(
      {
        principal: request.principal,
        survivorIds: [survivorId],
        sections: request.sections,
        purpose: request.purpose,
        requestId: request.requestId,
        route: request.route,
        careTeamOnly: request.careTeamOnly,
      },
      async ({ decision, intake: now }) => {
        // Care team and consents are judged as they are now, whatever instant the data is read at.
        if (decision.outcome === 'denied') return;
        const intake = request.asOf ? await this.asOf(survivorId, request.asOf) : now;
        version = intake.status === 'open' ? intake.version : -1;
        // Content written before a section's last erasure is never shown, whatever instant is asked for.
        const erasedAt = now.status === 'open' ? (now.erasedAt ?? {}) : {};
        for (const d of decision.sections) {
          const entry = d.decision === 'permit' && intake.status === 'open' ? intake.sections[d.section] : undefined;
          if (entry && entry.version > (erasedAt[d.section] ?? -1))
            sections[d.section] = await this.keys.decrypt(survivorId, `intake:${d.section}`, entry.content);
        }
      },
    );
    const admission = admissions.get(survivorId)!;
    if (!admission.exists) throw markRecorded(new NotFound('Intake', IntakeErrors.intakeNotFound));
    const { decision } = admission;
    const withheld = decision.sections.flatMap((d) =>
      d.decision === 'deny' ? [{ section: d.section, reason: d.reason }] : [],
    );
    if (decision.outcome === 'denied') throw this.gate.refusal(admission, IntakeErrors.accessDenied, { withheld });
    const record = {
      survivorId,
      asOf: request.asOf?.toISOString() ?? null,
      version,
      purpose: request.purpose,
      sections,
      withheld,
      basis: decision.sections.filter((d) => d.decision === 'permit'),
      linkedTo: admission.intake.status === 'open' ? (admission.intake.link?.recordId ?? null) : null,
    };
    return { record, admission };
  }

  /** The intake as it stood at an instant (history is kept forever; snapshots keep this fast). */
  private async asOf(survivorId: string, at: Date): Promise<IntakeState> {
    return (await this.history.asOf(INTAKE_SNAPSHOT_KIND, intakeStream(survivorId), intakeDecider, at)).state;
  }
}
