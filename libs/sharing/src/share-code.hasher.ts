import { Inject, Injectable } from '@nestjs/common';
import { HarbourConfig } from '@harbour/kernel';
import { MasterKeys } from '@harbour/privacy';
import type { AttemptLimits } from './attempts.decider.js';
import { codeIdOf, derivedPepper, hashShareCode } from './share-code.js';

/** The pepper (from HARBOUR_SHARE_CODE_PEPPER, else derived from the master key) and the attempt limits. */
@Injectable()
export class ShareCodeHasher {
  private readonly pepper: Buffer;
  readonly limits: AttemptLimits;

  constructor(@Inject(HarbourConfig) config: HarbourConfig, keys: MasterKeys) {
    this.pepper = config.HARBOUR_SHARE_CODE_PEPPER
      ? Buffer.from(config.HARBOUR_SHARE_CODE_PEPPER, 'base64')
      : derivedPepper(keys.current.key);
    this.limits = {
      perWorker: config.HARBOUR_SHARE_CODE_FAILURES_PER_WORKER,
      perAgency: config.HARBOUR_SHARE_CODE_FAILURES_PER_AGENCY,
      windowMinutes: config.HARBOUR_SHARE_CODE_WINDOW_MINUTES,
    };
  }

  /** The stored hash of a normalised code, and the id of the stream it names. */
  async lookup(code: string): Promise<{ codeHash: string; codeId: string }> {
    const codeHash = await hashShareCode(code, this.pepper);
    return { codeHash, codeId: codeIdOf(codeHash) };
  }

  toJSON(): Record<string, unknown> {
    return { limits: this.limits };
  }
}
