import { ValidationFailed } from '@harbour/kernel';

/** Opaque page cursors: the log position of the last item returned (newest first, so "older than this"). */
export const encodeCursor = (position: string): string => Buffer.from(`p:${position}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): bigint | null {
  if (cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^p:(\d{1,19})$/.exec(text);
  if (!m) throw new ValidationFailed([{ field: 'cursor', problem: 'must be a cursor returned by a previous page' }]);
  return BigInt(m[1]);
}
