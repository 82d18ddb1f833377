import { Inject, Injectable } from '@nestjs/common';
import { HarbourConfig } from '@harbour/kernel';
import { MasterKeys } from '@harbour/privacy';
import { derivedMatchKey } from './clk.js';

/** The encodings' HMAC key: HARBOUR_MATCH_KEY, else derived from the master key. Never stored, never logged. */
@Injectable()
export class MatchKey {
  readonly value: Buffer;

  constructor(@Inject(HarbourConfig) config: HarbourConfig, keys: MasterKeys) {
    this.value = config.HARBOUR_MATCH_KEY
      ? Buffer.from(config.HARBOUR_MATCH_KEY, 'base64')
      : derivedMatchKey(keys.current.key);
  }

  toJSON(): Record<string, unknown> {
    return {};
  }
}
