/**
 * The portable log archive (`harbour log export` / `harbour log import`): NDJSON, one JSON
 * value per line, UTF-8.
 *
 *   line 1            ArchiveHeader
 *   then, by position ArchivedEvent   (every event, the notary's signed checkpoints among them)
 *   then, by stream   ArchivedStream  (each stream's version and last chain hash)
 *   last              ArchiveEnd      (counts: a cut-off archive is refused)
 *
 * It carries no data keys: what was encrypted for a survivor stays ciphertext, and an erased
 * survivor stays erased wherever the archive is loaded (docs/audit.md, "Log archive").
 */
export const ARCHIVE_FORMAT = 'harbour-log-archive';
export const ARCHIVE_VERSION = 1;

export interface ArchiveHeader {
  kind: 'header';
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  exportedAt: string;
  /** The notary keys the checkpoints were signed with, oldest first, as far as known (public halves only). */
  notaryKeys: Array<{ keyId: string; algorithm: 'Ed25519'; publicKeyPem: string | null }>;
}

/** One row of harbour_events; the hashes in hex. */
export interface ArchivedEvent {
  kind: 'event';
  globalPosition: string;
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
  contentHash: string;
  prevHash: string;
  hash: string;
}

/** One row of harbour_streams: what lets an import notice events cut from a stream's end. */
export interface ArchivedStream {
  kind: 'stream';
  streamId: string;
  version: number;
  lastHash: string;
}

export interface ArchiveEnd {
  kind: 'end';
  events: number;
  streams: number;
}

export type ArchiveLine = ArchiveHeader | ArchivedEvent | ArchivedStream | ArchiveEnd;
