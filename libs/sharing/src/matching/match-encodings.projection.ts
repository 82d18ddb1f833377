import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import { type Cipher, DataErased, KeyRing } from '@harbour/privacy';
import { encodeIdentity, type MatchIdentity } from './clk.js';
import { MatchKey } from './match-key.js';

const survivorOf = (streamId: string) => (streamId.startsWith('intake-') ? streamId.slice('intake-'.length) : null);

/**
 * `match_encodings`: the identity encoding of every intake, derived when its identity section is
 * written. Like the reporting facts, this is a machine process that opens the identity section
 * (decrypts it in memory, keeps only the 128-byte encoding, never a name); erasure of the section
 * or of the record drops the encoding at once (and on every rebuild); a duplicate closed by a link
 * stops being matched until it is unlinked. Every change takes a new `seq`: the projection writes
 * one transaction at a time, so `seq` order is commit order and the index refreshes from it.
 */
@Injectable()
export class MatchEncodingsProjection implements Projection, OnModuleInit {
  readonly name = 'match-encodings';
  readonly eventTypes = ['IntakeSectionUpdated', 'SectionErased', 'RecordErased', 'IntakeLinked', 'IntakeUnlinked'];

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly keys: KeyRing,
    private readonly key: MatchKey,
  ) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(event: StoredEvent, m: EntityManager): Promise<void> {
    const survivorId = survivorOf(event.streamId);
    if (!survivorId) return;
    const d = event.data as { section?: string; content?: Cipher };
    const erase = () =>
      m.query(
        `INSERT INTO match_encodings (survivor_id, encoding, status) VALUES ($1, NULL, 'erased')
         ON CONFLICT (survivor_id) DO UPDATE SET encoding = NULL, status = 'erased', seq = nextval('match_encodings_seq')`,
        [survivorId],
      );
    switch (event.type) {
      case 'RecordErased':
        return void (await erase());
      case 'SectionErased':
        if (d.section === 'identity') await erase();
        return;
      case 'IntakeLinked':
      case 'IntakeUnlinked':
        await m.query(
          `UPDATE match_encodings SET status = $2, seq = nextval('match_encodings_seq')
           WHERE survivor_id = $1 AND status <> 'erased'`,
          [survivorId, event.type === 'IntakeLinked' ? 'linked' : 'active'],
        );
        return;
      case 'IntakeSectionUpdated': {
        if (d.section !== 'identity' || !d.content) return;
        let encoding: Buffer | null;
        try {
          const identity = await this.keys.decrypt<MatchIdentity>(survivorId, 'intake:identity', d.content);
          encoding = encodeIdentity(identity, this.key.value);
        } catch (error) {
          if (!(error instanceof DataErased)) throw error;
          return void (await erase());
        }
        await m.query(
          `INSERT INTO match_encodings (survivor_id, encoding, status) VALUES ($1, $2, 'active')
           ON CONFLICT (survivor_id) DO UPDATE SET encoding = EXCLUDED.encoding, seq = nextval('match_encodings_seq')
           WHERE match_encodings.status <> 'erased'`,
          [survivorId, encoding],
        );
        return;
      }
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM match_encodings');
  }
}
