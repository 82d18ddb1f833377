import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CurrentState, EventStore, IdempotencyKeyReused } from '@harbour/event-store';
import { CLOCK, type Clock, DomainError, newId, NotFound } from '@harbour/kernel';
import { actorOf, executionOptions, type RequestMeta } from '@harbour/auth';
import { consentDecider, consentStream, exclusionOf, type Section } from '@harbour/consent';
import { AccessGate, erasureOf, intakeDecider, intakeStream, onCareTeam, relatedTo, workerRole } from '@harbour/intake';
import { AgencyLookup } from '@harbour/network';
import type { Purpose } from '@harbour/vocabulary';
import { SharingErrors as E } from './errors.js';
import type { AttemptReason } from './attempts.decider.js';
import { lockOf } from './attempts.decider.js';
import {
  codeRefusal,
  DEFAULT_PURPOSES,
  DEFAULT_SECTIONS,
  DEFAULT_VALID_DAYS,
  redemptionRefusal,
  refusalError,
} from './share-code.decider.js';
import { formatShareCode, newShareCode, normaliseShareCode } from './share-code.js';
import { ShareCodeHasher } from './share-code.hasher.js';
import { ShareCodeRepository, type ShareCodeResult } from './share-code.repository.js';
import { type ShareCodeCard, shareCodeCard } from './share-code.card.js';

export interface NewShareCode {
  sections?: Section[];
  purposes?: Purpose[];
  language: string;
  validDays?: number;
}

/** The issue answer: the code in clear, this once (null when an Idempotency-Key repeat answers). */
export type IssuedShareCode = ShareCodeResult & { code: string | null; card: ShareCodeCard | null };

export class IssueShareCode extends Command<IssuedShareCode> {
  constructor(
    readonly meta: RequestMeta,
    readonly survivorId: string,
    readonly request: NewShareCode,
  ) {
    super();
  }
}

export class RevokeShareCode extends Command<ShareCodeResult> {
  constructor(
    readonly meta: RequestMeta,
    readonly survivorId: string,
    readonly codeId: string,
  ) {
    super();
  }
}

export class RedeemShareCode extends Command<ShareCodeResult & { consentId: string }> {
  constructor(
    readonly meta: RequestMeta,
    readonly code: string,
  ) {
    super();
  }
}

/** The care team gives the survivor a code: generated here, hashed, and shown in the answer once. */
@CommandHandler(IssueShareCode)
export class IssueShareCodeHandler implements ICommandHandler<IssueShareCode> {
  constructor(
    private readonly codes: ShareCodeRepository,
    private readonly hasher: ShareCodeHasher,
    private readonly current: CurrentState,
    private readonly store: EventStore,
  ) {}

  async execute({ meta, survivorId, request }: IssueShareCode): Promise<IssuedShareCode> {
    const role = workerRole(meta.principal.roles);
    const options = executionOptions(meta, role, { survivorId, request });
    // A repeat under the same Idempotency-Key answers as the first did, but never shows the code again.
    if (options.idempotency) {
      const prior = await this.store.findIdempotencyRecord(`user:${meta.principal.userId}`, options.idempotency.key);
      if (prior && prior.fingerprint !== options.idempotency.fingerprint) throw new IdempotencyKeyReused();
      if (prior) return { ...(prior.result as ShareCodeResult), code: null, card: null };
    }
    const { state: intake } = await this.current.load(intakeStream(survivorId), intakeDecider);
    if (intake.status === 'none') throw new NotFound('Intake', E.intakeNotFound);
    const facts = {
      onCareTeam: onCareTeam(intake, actorOf(meta.principal, role)),
      erased: erasureOf(intake).erased,
    };
    for (;;) {
      const code = newShareCode();
      const { codeHash, codeId } = await this.hasher.lookup(code);
      try {
        const result = await this.codes.execute({
          codeId,
          command: {
            type: 'IssueShareCode',
            codeId,
            survivorId,
            codeHash,
            sections: request.sections ?? DEFAULT_SECTIONS,
            purposes: request.purposes ?? DEFAULT_PURPOSES,
            language: request.language,
            validDays: request.validDays ?? DEFAULT_VALID_DAYS,
            facts,
          },
          ...options,
        });
        const shown = formatShareCode(code);
        const card = shareCodeCard(shown, {
          sections: request.sections ?? DEFAULT_SECTIONS,
          expiresAt: result.expiresAt,
          language: request.language,
        });
        return { ...result, code: shown, card };
      } catch (error) {
        // 80 random bits met an existing code: draw another (practically never).
        if (!(error instanceof DomainError && error.code === E.shareCodeExists.code)) throw error;
      }
    }
  }
}

@CommandHandler(RevokeShareCode)
export class RevokeShareCodeHandler implements ICommandHandler<RevokeShareCode> {
  constructor(
    private readonly codes: ShareCodeRepository,
    private readonly current: CurrentState,
  ) {}

  async execute({ meta, survivorId, codeId }: RevokeShareCode): Promise<ShareCodeResult> {
    const role = workerRole(meta.principal.roles);
    const { state: intake } = await this.current.load(intakeStream(survivorId), intakeDecider);
    if (intake.status === 'none') throw new NotFound('Intake', E.intakeNotFound);
    const onTeam = onCareTeam(intake, actorOf(meta.principal, role));
    if (!onTeam) throw DomainError.of(E.notOnCareTeam);
    const { state } = await this.codes.load(codeId);
    // A code of another survivor is not found here, whatever it is.
    if (state.status === 'none' || state.survivorId !== survivorId) throw DomainError.of(E.shareCodeNotFound);
    return this.codes.execute({
      codeId,
      command: { type: 'RevokeShareCode', facts: { onCareTeam: onTeam } },
      ...executionOptions(meta, role, { survivorId, codeId }),
    });
  }
}

const ROUTE = 'POST /v1/share-codes/redemption';

/**
 * A worker of another agency enters the code with the survivor. Locked-out callers are refused
 * before the code is looked at; every failure is recorded on the agency's attempts stream; an
 * unknown, expired, revoked or used code gets one answer; exclusions win and are recorded on the
 * survivor's trail too. Success: the code's event, the consent and the team membership, at once.
 */
@CommandHandler(RedeemShareCode)
export class RedeemShareCodeHandler implements ICommandHandler<RedeemShareCode> {
  constructor(
    private readonly codes: ShareCodeRepository,
    private readonly hasher: ShareCodeHasher,
    private readonly current: CurrentState,
    private readonly agencies: AgencyLookup,
    private readonly gate: AccessGate,
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ meta, code }: RedeemShareCode): Promise<ShareCodeResult & { consentId: string }> {
    const { principal } = meta;
    const role = workerRole(principal.roles);
    if (!role) throw DomainError.of(E.notAWorker);
    const actor = actorOf(principal, role);
    const context = { actor, requestId: meta.requestId };
    const limits = this.hasher.limits;
    const fail = async (reason: AttemptReason, error: DomainError): Promise<never> => {
      await this.codes.recordFailure(principal.agencyId, reason, limits, context);
      throw error;
    };
    const { state: attempts } = await this.codes.attempts(principal.agencyId);
    const lock = lockOf(attempts, principal.userId, this.clock.now(), limits);
    if (lock) {
      const retryAfterSeconds = Math.max(1, Math.ceil((lock.until.getTime() - this.clock.now().getTime()) / 1000));
      return fail('locked', DomainError.of(E.attemptsLocked, { details: { retryAfterSeconds } }));
    }
    const normal = normaliseShareCode(code);
    if (!normal) return fail('unknown', refusalError('unknown'));
    const { codeHash, codeId } = await this.hasher.lookup(normal);
    const { state } = await this.codes.load(codeId);
    // A retried redemption under the same Idempotency-Key answers as the first did. The request is
    // fingerprinted by the code's keyed id, never the code itself.
    const { idempotency } = executionOptions(meta, role, { redemption: codeId });
    if (idempotency) {
      const prior = await this.store.findIdempotencyRecord(`user:${principal.userId}`, idempotency.key);
      if (prior && prior.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReused();
      if (prior && state.status === 'redeemed')
        return { ...(prior.result as ShareCodeResult), consentId: state.consentId };
    }
    const early = codeRefusal(state, codeHash, this.clock.now());
    if (early || state.status === 'none') return fail(early ?? 'unknown', refusalError(early ?? 'unknown'));

    const { survivorId } = state;
    const [{ state: intake }, { state: consents }, agency] = await Promise.all([
      this.current.load(intakeStream(survivorId), intakeDecider),
      this.current.load(consentStream(survivorId), consentDecider),
      this.agencies.of(principal.agencyId),
    ]);
    const sector = agency.status === 'none' ? null : agency.sector;
    const facts = {
      excluded: exclusionOf(consents.exclusions, { userId: principal.userId, agencyId: principal.agencyId, sector }),
      erased: erasureOf(intake).erased,
      related: relatedTo(intake, principal.agencyId),
    };
    const refusal = redemptionRefusal(state, codeHash, this.clock.now(), facts);
    if (refusal === 'excluded') {
      // The survivor's "never" wins: refused, on the attempts stream and on the survivor's trail.
      await this.gate.refuse({
        actor,
        survivorId,
        reason: E.shareCodeExcluded.code,
        requestId: meta.requestId ?? 'unknown',
        clientRequestId: principal.clientRequestId,
        route: ROUTE,
      });
      return fail('excluded', refusalError('excluded'));
    }
    if (refusal) throw refusalError(refusal);
    const consentId = newId();
    const result = await this.codes.execute({
      codeId,
      command: { type: 'RedeemShareCode', codeHash, consentId, facts },
      context,
      idempotency,
      sector: sector ?? 'other',
    });
    return { ...result, consentId };
  }
}
