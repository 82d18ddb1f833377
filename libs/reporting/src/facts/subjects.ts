import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { NEED_CATEGORIES } from '@harbour/vocabulary';

/** A digest standing in for an id inside the projections' private state (never in a fact table). */
export const refOf = (...ids: string[]) => createHash('sha256').update(ids.join('\u0000')).digest();

/**
 * The opaque key a survivor's facts carry: random, made on first sight, stable across rebuilds.
 * It lets a report count a survivor's facts only while their consent permits `statistics`,
 * without any fact table holding their id.
 */
export async function subjectKeyOf(m: EntityManager, survivorId: string): Promise<string> {
  const ref = refOf('survivor', survivorId);
  await m.query(
    'INSERT INTO reports_subjects (survivor_ref, subject_key) VALUES ($1, gen_random_uuid()) ON CONFLICT (survivor_ref) DO NOTHING',
    [ref],
  );
  const rows: Array<{ subject_key: string }> = await m.query(
    'SELECT subject_key FROM reports_subjects WHERE survivor_ref = $1',
    [ref],
  );
  return rows[0].subject_key;
}

/** The id after a stream's prefix (`consent-<survivorId>` → survivorId). */
export const idOfStream = (streamId: string, prefix: string) =>
  streamId.startsWith(prefix) ? streamId.slice(prefix.length) : null;

/** Need categories as a bit set (bit i = NEED_CATEGORIES[i]), stored beside the list for fast reports by need. */
export const needBits = (needs: readonly string[]) =>
  needs.reduce(
    (bits, need) =>
      (NEED_CATEGORIES as readonly string[]).includes(need)
        ? bits | (1 << (NEED_CATEGORIES as readonly string[]).indexOf(need))
        : bits,
    0,
  );
