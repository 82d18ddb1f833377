import { readFile } from 'node:fs/promises';
import { AuditIntegrity, type CheckpointV1, Notary } from '@harbour/audit';
import { type CliCommand, printJson } from '../run.js';

/** Exit code for a damaged log: distinct from 1 (the tool itself failed) for scripts and cron. */
export const INTEGRITY_FAILED = 2;

export interface VerifyOptions {
  /** PEM file of the notary public key to check signatures against (default: this deployment's key). */
  publicKey?: string;
  /** JSON file of a checkpoint kept outside (GET /v1/audit/integrity/checkpoints/latest): it must still be in the log. */
  anchor?: string;
}

export const verify =
  (options: VerifyOptions = {}): CliCommand =>
  async (app) => {
    const publicKeyPem = options.publicKey ? await readFile(options.publicKey, 'utf8') : undefined;
    const anchor = options.anchor
      ? anchorOf(JSON.parse(await readFile(options.anchor, 'utf8')) as Parameters<typeof anchorOf>[0])
      : null;
    const report = await app.get(AuditIntegrity).verify({ publicKeyPem, anchor });
    printJson(report);
    if (report.ok) return 0;
    const bad = report.firstBad!;
    if (bad.kind === 'event') {
      console.error(
        `Event log integrity check failed: first bad event at global position ${bad.globalPosition} ` +
          `(stream ${bad.streamId}, version ${bad.streamVersion}): ${bad.problem} (${bad.explanation})`,
      );
    } else {
      console.error(
        `Event log integrity check failed: first bad checkpoint #${bad.sequence} (positions ${bad.fromPosition}..${bad.toPosition}): ${bad.problem} (${bad.explanation})`,
      );
    }
    return INTEGRITY_FAILED;
  };

/** Accepts the checkpoint itself or the API's `{checkpoint}` answer. */
const anchorOf = (json: { checkpoint?: CheckpointV1 } & Partial<CheckpointV1>): CheckpointV1 =>
  (json.checkpoint ?? json) as CheckpointV1;

/** Print the notary's public key (PEM and JWK) for an outside party. */
export const notaryPublicKey: CliCommand = async (app) => {
  printJson((await app.get(Notary).keyPair()).exportPublic());
  return 0;
};

/** Sign a checkpoint over everything not yet covered, now (e.g. before handing an anchor to an auditor). */
export const notarySeal: CliCommand = async (app) => {
  printJson({ checkpoint: await app.get(Notary).seal() });
  return 0;
};
