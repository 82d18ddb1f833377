import { Injectable } from '@nestjs/common';
import { AggregateRepository, CurrentState } from '@harbour/event-store';
import { DomainError, newId, NotFound } from '@harbour/kernel';
import { executionOptions, markRecorded, type RequestMeta } from '@harbour/auth';
import { type AccessDecision, SECTIONS, type Section } from '@harbour/consent';
import { AccessGate, type Admission, workerRole } from '@harbour/intake';
import { KeyRing } from '@harbour/privacy';
import { StoryErrors as E } from './errors.js';
import { type IdentifyingKind, identifyingKinds } from './story-checker.js';
import { type StoryCommand, storyDecider, type StoryFacts } from './story.decider.js';
import { type StoryBasis, storyContext, storyStream } from './story.events.js';

export interface StoryWritten {
  storyId: string;
  survivorId: string;
  /** Kinds of the record's values the text still contains (never the values): export is refused while any. */
  found: IdentifyingKind[];
  version: number;
}

export interface StoryText extends StoryWritten {
  text: string;
}

const ROUTES = {
  draft: 'POST /v1/intakes/:survivorId/impact-stories',
  read: 'GET /v1/intakes/:survivorId/impact-stories/:storyId',
  revise: 'PUT /v1/intakes/:survivorId/impact-stories/:storyId',
  export: 'POST /v1/intakes/:survivorId/impact-stories/:storyId/export',
};

/** The consent a permitted section rests on (`impact-story` is never a care-team purpose: always a consent). */
function basisOf(decision: AccessDecision): StoryBasis | null {
  for (const d of decision.sections)
    if (d.decision === 'permit' && d.basis.kind === 'consent')
      return { consentId: d.basis.consentId, version: d.basis.version };
  return null;
}

/**
 * Impact stories. Every request passes the access gate for purpose `impact-story` (so it is an
 * access event, and only a consent naming the worker's agency and that purpose admits it); the
 * checker compares the text with the whole record inside the server — the identity, contact and
 * dependants sections included, which the story's consent never exposes — and answers kinds only.
 */
@Injectable()
export class ImpactStories {
  constructor(
    private readonly gate: AccessGate,
    private readonly keys: KeyRing,
    private readonly aggregates: AggregateRepository,
    private readonly current: CurrentState,
  ) {}

  async draft(meta: RequestMeta, survivorId: string, text: string): Promise<StoryWritten> {
    const storyId = newId();
    const facts = await this.admit(meta, survivorId, ROUTES.draft, text);
    const cipher = await this.keys.encrypt(survivorId, storyContext(storyId), text);
    return this.execute(
      meta,
      storyId,
      survivorId,
      { type: 'DraftImpactStory', storyId, survivorId, text: cipher, facts },
      { text },
    );
  }

  async revise(meta: RequestMeta, survivorId: string, storyId: string, text: string): Promise<StoryWritten> {
    // The gate first: an unrelated caller is refused (and recorded) before anything about the story is said.
    const facts = await this.admit(meta, survivorId, ROUTES.revise, async () => {
      await this.story(meta, survivorId, storyId);
      return text;
    });
    const cipher = await this.keys.encrypt(survivorId, storyContext(storyId), text);
    return this.execute(
      meta,
      storyId,
      survivorId,
      { type: 'ReviseImpactStory', text: cipher, facts },
      { storyId, text },
    );
  }

  async read(meta: RequestMeta, survivorId: string, storyId: string): Promise<StoryText> {
    let text = '';
    let version = -1;
    const facts = await this.admit(meta, survivorId, ROUTES.read, async () => {
      const story = await this.story(meta, survivorId, storyId);
      version = story.version;
      return (text = await this.keys.decrypt<string>(survivorId, storyContext(storyId), story.state.text));
    });
    if (!facts.basis) throw DomainError.of(E.notConsented);
    return { storyId, survivorId, found: facts.found, version, text };
  }

  /** Export: refused (409, kinds listed) while the text holds any of the record's values; recorded when it succeeds. */
  async export(meta: RequestMeta, survivorId: string, storyId: string): Promise<StoryText> {
    let text = '';
    const facts = await this.admit(meta, survivorId, ROUTES.export, async () => {
      const story = await this.story(meta, survivorId, storyId);
      return (text = await this.keys.decrypt<string>(survivorId, storyContext(storyId), story.state.text));
    });
    // The stored result (Idempotency-Key) never holds the text: it is added to the answer only.
    const written = await this.execute(
      meta,
      storyId,
      survivorId,
      { type: 'ExportImpactStory', facts },
      { storyId, export: true },
    );
    return { ...written, text };
  }

  /** The story, if it is this survivor's and the caller's agency's (anything else: not found). */
  private async story(meta: RequestMeta, survivorId: string, storyId: string) {
    const { state, version } = await this.current.load(storyStream(storyId), storyDecider);
    if (state.status === 'none' || state.survivorId !== survivorId || state.agencyId !== meta.principal.agencyId)
      throw DomainError.of(E.storyNotFound);
    return { state: state, version };
  }

  /** `text` is the draft, or reads it once the gate has admitted the caller (a missing story throws there). */
  private async admit(
    meta: RequestMeta,
    survivorId: string,
    route: string,
    text: string | (() => Promise<string>),
  ): Promise<StoryFacts> {
    if (!workerRole(meta.principal.roles)) throw DomainError.of(E.notAWorker);
    let found: IdentifyingKind[] = [];
    const missing: { error: Error | null } = { error: null };
    const admissions = await this.gate.admit(
      {
        principal: meta.principal,
        survivorIds: [survivorId],
        sections: SECTIONS,
        purpose: 'impact-story',
        requestId: meta.requestId ?? 'unknown',
        route,
      },
      async ({ decision, intake }) => {
        if (decision.outcome === 'denied' || intake.status !== 'open') return;
        const erasedAt = intake.erasedAt ?? {};
        const sections: Partial<Record<Section, unknown>> = {};
        for (const section of SECTIONS) {
          const entry = intake.sections[section];
          if (entry && entry.version > (erasedAt[section] ?? -1))
            sections[section] = await this.keys.decrypt(survivorId, `intake:${section}`, entry.content);
        }
        try {
          found = identifyingKinds(typeof text === 'string' ? text : await text(), sections);
        } catch (error) {
          missing.error = error as Error; // answered after the access event is recorded
        }
      },
    );
    const admission: Admission = admissions.get(survivorId)!;
    if (!admission.exists) throw markRecorded(new NotFound('Intake', E.intakeNotFound));
    if (admission.decision.outcome === 'denied') throw this.gate.refusal(admission, E.notConsented);
    if (missing.error) throw missing.error;
    return { basis: basisOf(admission.decision), found };
  }

  private execute(
    meta: RequestMeta,
    storyId: string,
    survivorId: string,
    command: StoryCommand,
    request: unknown,
  ): Promise<StoryWritten> {
    const role = workerRole(meta.principal.roles);
    return this.aggregates.execute({
      streamId: storyStream(storyId),
      decider: storyDecider,
      command,
      ...executionOptions(meta, role, { survivorId, request }),
      result: ({ state, version }) => ({
        storyId,
        survivorId,
        found: state.status === 'none' ? [] : state.found,
        version,
      }),
    });
  }
}
