import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { encodeIdentity, MATCH_THRESHOLD, type MatchIdentity } from './clk.js';
import { MatchIndex } from './match-index.js';
import { MatchKey } from './match-key.js';

interface Row {
  survivor_id: string;
  encoding: Buffer | null;
  status: string;
  seq: string;
}

/**
 * The match check: the encoding of one identity against every active stored encoding, through
 * an in-process index loaded from `match_encodings` and refreshed before each check with the rows
 * changed since (`seq`): erased and linked records leave the index on the next check, in every
 * replica. Answers only whether there is a match (and how many), never which.
 */
@Injectable()
export class Matcher {
  private readonly index = new MatchIndex();
  private seq = '0';
  private refreshing: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly key: MatchKey,
  ) {}

  encode(identity: MatchIdentity): Buffer | null {
    return encodeIdentity(identity, this.key.value);
  }

  /** How many other active records match this identity at the threshold (0: none). */
  async check(survivorId: string, identity: MatchIdentity): Promise<number> {
    const encoding = this.encode(identity);
    if (!encoding) return 0;
    await this.refresh();
    return this.index.matches(encoding, MATCH_THRESHOLD, survivorId).length;
  }

  /** Loads the rows changed since the last refresh (all of them the first time). One refresh at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    for (;;) {
      const rows: Row[] = await this.db.query(
        `SELECT survivor_id, encoding, status, seq::text AS seq FROM match_encodings WHERE seq > $1::bigint
         ORDER BY seq LIMIT 5000`,
        [this.seq],
      );
      for (const r of rows) {
        if (r.status === 'active' && r.encoding) this.index.put(r.survivor_id, r.encoding);
        else this.index.remove(r.survivor_id);
        this.seq = r.seq;
      }
      if (rows.length < 5000) return;
    }
  }
}
