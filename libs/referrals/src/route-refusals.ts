import { Injectable } from '@nestjs/common';
import { RefusalLog, type RouteRefusal } from '@harbour/auth';
import { AccessGate } from '@harbour/intake';
import { ReferralRepository } from './referral.repository.js';

/**
 * The application's RefusalLog: a refusal on a survivor route is recorded on that survivor; on a
 * referral route, on the referral's survivor (the caller is related when their agency is a party).
 * Bound here because this is the one context that knows both the intake and the referral.
 */
@Injectable()
export class RouteRefusals extends RefusalLog {
  constructor(
    private readonly gate: AccessGate,
    private readonly referrals: ReferralRepository,
  ) {
    super();
  }

  async refused(refusal: RouteRefusal): Promise<{ related: boolean }> {
    const { subject, ...rest } = refusal;
    if (subject.kind === 'survivor') return this.gate.refuse({ ...rest, survivorId: subject.survivorId });
    const { state } = await this.referrals.load(subject.referralId);
    if (state.status === 'none') return { related: false };
    await this.gate.refuse({ ...rest, survivorId: state.survivorId });
    return {
      related:
        refusal.actor.agencyId !== null &&
        (state.fromAgencyId === refusal.actor.agencyId || state.toAgencyId === refusal.actor.agencyId),
    };
  }
}
