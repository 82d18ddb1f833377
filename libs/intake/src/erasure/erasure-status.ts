import { Injectable } from '@nestjs/common';
import { CurrentState } from '@harbour/event-store';
import { SECTIONS, type Section } from '@harbour/consent';
import { type IntakeState, intakeDecider, intakeStream } from '../record/intake.decider.js';

/** What has been erased of one survivor's record, from the intake stream itself (never a lagging read model). */
export interface ErasureStatusOf {
  /** False: no intake has this id. */
  exists: boolean;
  /** The whole record is erased (its data key destroyed): every read answers 410 record-erased. */
  erased: boolean;
  /** Sections erased by a request or by retention and not written again since (every section when `erased`). */
  erasedSections: Section[];
}

/** The erasure facts of a folded intake (for callers that already hold the state). */
export function erasureOf(state: IntakeState): ErasureStatusOf {
  if (state.status !== 'open') return { exists: false, erased: false, erasedSections: [] };
  const erasedSections = Object.entries(state.erasedAt ?? {})
    .filter(([section, at]) => (state.sections[section as Section]?.version ?? -1) < (at ?? -1))
    .map(([section]) => section as Section);
  return state.erased
    ? { exists: true, erased: true, erasedSections: [...SECTIONS] }
    : { exists: true, erased: false, erasedSections };
}

/**
 * "Is this survivor erased, and which sections?" for other contexts (the survivor's copy,
 * export): an erased record or section must be treated as gone there too.
 */
@Injectable()
export class ErasureStatus {
  constructor(private readonly current: CurrentState) {}

  async of(survivorId: string): Promise<ErasureStatusOf> {
    const { state } = await this.current.load(intakeStream(survivorId), intakeDecider);
    return erasureOf(state);
  }
}
