import { Inject, Injectable } from '@nestjs/common';
import { AccessRecorder, AccessTrailQueries, disclosureReport } from '@harbour/audit';
import type { Principal } from '@harbour/auth';
import { consentStream, SECTIONS } from '@harbour/consent';
import { EventStore } from '@harbour/event-store';
import { AccessGate, SurvivorRecordReader } from '@harbour/intake';
import { CLOCK, type Clock } from '@harbour/kernel';
import { AgencyQueries, StaffQueries } from '@harbour/network';
import { ReferralQueries } from '@harbour/referrals';
import { consentHistory, disclosureCopy, idsToName, referralCopy, type SurvivorCopy } from './copy.js';
import { chooseLanguage } from './translations.js';

export const COPY_ROUTE = 'GET /v1/intakes/:survivorId/copy';

export interface CopyRequest {
  principal: Principal;
  survivorId: string;
  /** The language asked for (`?lang=`), before the survivor's preferred one and English. */
  language?: string;
  requestId: string;
}

/**
 * The survivor's own copy. One gate admission decides it (care team only, every section, for
 * care coordination) and records its access event; nothing else is read unless it permits. The
 * intake comes from the one read path, the referrals from their queries, the disclosures from the
 * privacy officers' report; showing that report is recorded as a view of the access log as well.
 */
@Injectable()
export class SurvivorCopyService {
  constructor(
    private readonly reader: SurvivorRecordReader,
    private readonly gate: AccessGate,
    private readonly store: EventStore,
    private readonly referrals: ReferralQueries,
    private readonly trail: AccessTrailQueries,
    private readonly recorder: AccessRecorder,
    private readonly agencies: AgencyQueries,
    private readonly staff: StaffQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async produce(request: CopyRequest): Promise<SurvivorCopy> {
    const { principal, survivorId, requestId } = request;
    // Refuses (404 / 403 / 410, each recorded) exactly as the intake read does.
    const { record, admission } = await this.reader.admitAndRead({
      principal,
      survivorId,
      purpose: 'care-coordination',
      sections: SECTIONS,
      requestId,
      route: COPY_ROUTE,
      careTeamOnly: true,
    });
    const [consentEvents, referrals, reads] = await Promise.all([
      this.store.readStream(consentStream(survivorId)),
      this.referrals.ofAdmitted(admission),
      this.trail.disclosures(survivorId),
    ]);
    const { agencyIds, userIds } = idsToName(consentEvents, referrals);
    const [agencyNames, staffNames] = await Promise.all([this.agencies.names(agencyIds), this.staff.names(userIds)]);
    const names = { agencies: agencyNames, staff: staffNames };
    const now = this.clock.now();
    // The copy shows the access log too: that is recorded like any view of it, before answering (fail closed).
    await this.recorder.recordLogViews([
      { survivorId, viewer: this.gate.actorOf(principal), view: 'disclosure-report', requestId, route: COPY_ROUTE },
    ]);
    const preferred = (record.sections.preferences as { language?: string } | undefined)?.language;
    return {
      survivorId,
      generatedAt: now.toISOString(),
      language: chooseLanguage(request.language, preferred),
      record: { version: record.version, sections: record.sections, withheld: record.withheld },
      ...consentHistory(consentEvents, names, now),
      referrals: referrals.map((r) => referralCopy(r, names)),
      disclosures: disclosureCopy(
        disclosureReport(survivorId, reads, now),
        new Map(reads.map((r) => [r.actor.agencyId ?? '', r.agencyName])),
      ),
    };
  }
}
