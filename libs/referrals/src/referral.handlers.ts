import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CurrentState } from '@harbour/event-store';
import { CLOCK, type Clock, newId, NotFound } from '@harbour/kernel';
import { actorOf, executionOptions, type RequestMeta, StaffDirectory } from '@harbour/auth';
import { consentDecider, consentStream, exclusionOf } from '@harbour/consent';
import {
  AccessGate,
  intakeDecider,
  intakeStream,
  onCareTeam,
  referralConsentFor,
  relatedTo,
  SurvivorRecordReader,
  workerRole,
} from '@harbour/intake';
import { AgencyLookup, DirectoryQueries } from '@harbour/network';
import { buildNotice } from './notice.js';
import { ATTENDEE_ROLES, type ReferralCommand, type RequestFacts } from './referral.commands.js';
import { ReferralRepository, type ReferralResult } from './referral.repository.js';
import { ReferralErrors } from './errors.js';
import { type Urgency, type NeedCategory } from '@harbour/vocabulary';

export interface NewReferral {
  survivorId: string;
  toAgencyId: string;
  needs: NeedCategory[];
  urgency: Urgency;
  note?: string;
  region?: string;
}

export type ReferralAction =
  | Exclude<ReferralCommand, { type: 'RequestReferral' | 'AcceptReferral' | 'ExpireReferral' }>
  | { type: 'AcceptReferral'; assignedCaseworkerId?: string };

export class RequestReferral extends Command<ReferralResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly referral: NewReferral,
  ) {
    super();
  }
}

export class ActOnReferral extends Command<ReferralResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly referralId: string,
    readonly action: ReferralAction,
  ) {
    super();
  }
}

/**
 * Making a referral: the handler looks up the facts (care team, receiving agency, its services,
 * consents and exclusions, all current), builds the notice from the intake through the one
 * audited read path, and the decider judges.
 */
@CommandHandler(RequestReferral)
export class RequestReferralHandler implements ICommandHandler<RequestReferral> {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly current: CurrentState,
    private readonly agencies: AgencyLookup,
    private readonly directory: DirectoryQueries,
    private readonly reader: SurvivorRecordReader,
    private readonly gate: AccessGate,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ meta, referral }: RequestReferral): Promise<ReferralResult> {
    const { principal } = meta;
    const role = workerRole(principal.roles);
    const actor = actorOf(principal, role);
    const now = this.clock.now();
    const options = executionOptions(meta, role, referral);
    // A repeated request answers as the first did, before anything is read again.
    const prior = await this.referrals.priorResult(options.context, options.idempotency);
    if (prior) return prior;
    const { state: intake } = await this.current.load(intakeStream(referral.survivorId), intakeDecider);
    if (intake.status === 'none') throw new NotFound('Intake', ReferralErrors.intakeNotFound);
    if (!relatedTo(intake, principal.agencyId)) {
      // No relation to this survivor: answered as for an unknown id (no existence oracle), and recorded.
      await this.gate.refuse({
        actor,
        survivorId: referral.survivorId,
        reason: 'not-on-care-team',
        requestId: meta.requestId ?? 'unknown',
        clientRequestId: principal.clientRequestId,
        route: 'POST /v1/referrals',
        purpose: 'referral',
      });
      throw new NotFound('Intake', ReferralErrors.intakeNotFound);
    }
    const [agency, { state: consents }, services] = await Promise.all([
      this.agencies.of(referral.toAgencyId),
      this.current.load(consentStream(referral.survivorId), consentDecider),
      this.directory.ofAgency(referral.toAgencyId),
    ]);
    const check = referralConsentFor(consents, referral.toAgencyId, agency, now);
    const matching = services.filter((s) => s.needs.some((n) => referral.needs.includes(n)));
    const facts: RequestFacts = {
      requesterOnCareTeam: onCareTeam(intake, actor),
      receivingAgency:
        agency.status === 'none'
          ? { status: 'none', tier: null, sector: null }
          : { status: agency.status, tier: agency.tier, sector: agency.sector },
      servedNeeds: referral.needs.filter((n) => matching.some((s) => s.needs.includes(n))),
      responseWindowHours: matching.length ? Math.min(...matching.map((s) => s.responseWindowHours)) : null,
      consent: check.consent,
      consentMiss: check.reason,
      exclusion: check.exclusion,
    };
    // The notice is derived only when the referral can go ahead; the read is an access event.
    const ready = facts.requesterOnCareTeam && facts.consent && !facts.exclusion && facts.servedNeeds.length > 0;
    const record = ready
      ? await this.reader.read({
          principal,
          survivorId: referral.survivorId,
          purpose: 'referral',
          sections: ['identity', 'preferences'],
          requestId: meta.requestId ?? 'unknown',
          route: 'POST /v1/referrals',
        })
      : null;
    const notice = buildNotice({
      needs: referral.needs,
      urgency: referral.urgency,
      region: referral.region ?? null,
      identity: (record?.sections.identity as { dateOfBirth?: unknown; ageBand?: unknown } | undefined) ?? null,
      preferences: (record?.sections.preferences as { language?: unknown } | undefined) ?? null,
      now,
    });
    const referralId = newId();
    return this.referrals.execute({
      referralId,
      command: {
        type: 'RequestReferral',
        referralId,
        survivorId: referral.survivorId,
        toAgencyId: referral.toAgencyId,
        needs: referral.needs,
        urgency: referral.urgency,
        note: referral.note ?? '',
        notice,
        facts,
      },
      ...options,
    });
  }
}

@CommandHandler(ActOnReferral)
export class ActOnReferralHandler implements ICommandHandler<ActOnReferral> {
  constructor(
    private readonly referrals: ReferralRepository,
    private readonly staff: StaffDirectory,
    private readonly current: CurrentState,
  ) {}

  async execute({ meta, referralId, action }: ActOnReferral): Promise<ReferralResult> {
    let command: ReferralCommand;
    if (action.type === 'AcceptReferral') {
      const userId = action.assignedCaseworkerId ?? meta.principal.userId;
      const [standing, { state }] = await Promise.all([this.staff.standing(userId), this.referrals.load(referralId)]);
      let excluded: 'staff' | 'agency' | 'sector' | null = null;
      if (state.status !== 'none') {
        const { state: consents } = await this.current.load(consentStream(state.survivorId), consentDecider);
        excluded = exclusionOf(consents.exclusions, { userId, agencyId: state.toAgencyId, sector: state.toSector });
      }
      command = {
        type: 'AcceptReferral',
        assignee: standing && {
          userId: standing.userId,
          agencyId: standing.agencyId,
          active: standing.active,
          roles: standing.roles,
          excluded,
        },
      };
    } else if (action.type === 'ScheduleIntroduction') {
      // Attendees are named by staff id (checked against the network) or by role, never by name.
      const staffAgencies: Record<string, string> = {};
      const ids = [...new Set(Array.isArray(action.attendees) ? action.attendees : [])].filter(
        (a) => !(ATTENDEE_ROLES as readonly string[]).includes(a),
      );
      for (const id of ids) {
        const standing = await this.staff.standing(id);
        if (standing?.active) staffAgencies[id] = standing.agencyId;
      }
      command = { ...action, staffAgencies };
    } else {
      command = action;
    }
    return this.referrals.execute({
      referralId,
      command,
      ...executionOptions(meta, workerRole(meta.principal.roles), { referralId, action }),
    });
  }
}
