import { createReadStream, createWriteStream } from 'node:fs';
import { access, readFile, rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { ArchiveRefused, LogExporter, LogImporter, Notary } from '@harbour/audit';
import { ProjectionFailed, ProjectionRunner } from '@harbour/event-store';
import { safeErrorSummary } from '@harbour/kernel';
import { type CliCommand, printJson, uninterrupted } from '../run.js';
import { INTEGRITY_FAILED } from './verify.js';

export interface ExportOptions {
  /** commander's `--no-seal`: do not sign a checkpoint over the log's tail first. */
  seal: boolean;
}

/**
 * The whole log as a portable NDJSON archive (libs/audit/src/archive/archive-format.ts). It
 * first signs a checkpoint over everything not yet covered, so the archive's tail is signed
 * too. Written to `<file>.partial` (mode 600: ciphertext and access metadata are still
 * sensitive) and renamed when complete, so a failed export never leaves a plausible archive.
 */
export const logExport =
  (file: string, options: ExportOptions): CliCommand =>
  async (app) => {
    const sealed = options.seal ? await app.get(Notary).seal() : null;
    const partial = `${file}.partial`;
    const out = createWriteStream(partial, { mode: 0o600 });
    try {
      const report = await app.get(LogExporter).export(out);
      out.end();
      await finished(out);
      await rename(partial, file);
      printJson({ file, ...report, sealedCheckpoint: sealed?.sequence ?? null });
      return 0;
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  };

export interface ImportOptions {
  /** PEM file of the notary public key to check checkpoints against (default: this deployment's key). */
  publicKey?: string;
}

/** Exit code: the log was restored and verified, but some read models could not be rebuilt. */
export const RESTORED_INCOMPLETE = 3;

/**
 * Load an archive into an empty database (verified before it commits; refused whole
 * otherwise), then rebuild every read model from it. Exit 2 when the archive is refused, 3 when
 * a read model could not be rebuilt (typically: it needs plaintext and the data keys were not
 * restored first).
 */
export const logImport =
  (file: string, options: ImportOptions): CliCommand =>
  async (app) => {
    const publicKeyPem = options.publicKey ? await readFile(options.publicKey, 'utf8') : undefined;
    if (
      !(await access(file).then(
        () => true,
        () => false,
      ))
    ) {
      console.error(`harbour: cannot read ${file}`);
      return 1;
    }
    let report;
    try {
      report = await uninterrupted(() => app.get(LogImporter).import(createReadStream(file), { publicKeyPem }));
    } catch (error) {
      if (!(error instanceof ArchiveRefused)) throw error;
      console.error(`Import refused (${error.problem}), nothing was loaded: ${error.message}`);
      if (error.report) printJson(error.report);
      return error.problem === 'not-empty' ? 1 : INTEGRITY_FAILED;
    }
    const runner = app.get(ProjectionRunner);
    const rebuilt: string[] = [];
    const failed: Array<Record<string, unknown>> = [];
    for (const name of runner.names()) {
      try {
        await runner.rebuild(name);
        rebuilt.push(name);
      } catch (error) {
        const at = error instanceof ProjectionFailed ? error.event : null;
        failed.push({
          projection: name,
          globalPosition: at?.globalPosition.toString() ?? null,
          eventType: at?.type ?? null,
          error: safeErrorSummary(error instanceof ProjectionFailed ? error.cause : error),
        });
      }
    }
    const { integrity, ...counts } = report;
    printJson({
      file,
      ...counts,
      verified: { ok: integrity.ok, eventsChecked: integrity.eventsChecked, checkpoints: integrity.checkpoints },
      projectionsRebuilt: rebuilt,
      projectionsFailed: failed,
    });
    if (failed.length === 0) return 0;
    console.error(
      `The log was restored and verified, but ${failed.length} read model(s) could not be rebuilt: ` +
        `${failed.map((f) => f.projection as string).join(', ')}. A read model that needs survivor plaintext needs the data keys: ` +
        'restore privacy_data_keys from its own backup, then run `harbour projections rebuild <name>` (docs/audit.md, "Log archive").',
    );
    return RESTORED_INCOMPLETE;
  };
