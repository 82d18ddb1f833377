import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  generateNotaryKey,
  LOCAL_NOTARY_KEY_FILE,
  Notary,
  NotaryHandOverRefused,
  type NotaryKey,
  notaryKeyFromText,
  replaceLocalNotaryKey,
} from '@harbour/audit';
import { EventStore } from '@harbour/event-store';
import { HarbourConfig, systemActor } from '@harbour/kernel';
import { KeyRing, MASTER_KEY_ROTATED, MASTER_KEY_STREAM, MasterKeys, type MasterKeyRotatedV1 } from '@harbour/privacy';
import { WebhookRegistry } from '@harbour/referrals';
import { type CliCommand, printJson, uninterrupted } from '../run.js';

/** Exit code when something could not be opened: the retired master keys are still needed. */
export const ROTATION_INCOMPLETE = 3;

/**
 * Re-wrap every data key and re-seal every webhook secret under the current master key
 * (HARBOUR_MASTER_KEY), opening them with it or a retired one (HARBOUR_MASTER_KEYS_RETIRED).
 * Progress goes to stderr; the report to stdout; the run is a `MasterKeyRotated` fact.
 * Safe to re-run: what is already under the current key is skipped.
 */
export const keysRotateMaster: CliCommand = async (app) => {
  const keys = app.get(MasterKeys);
  const { dataKeys, webhooks } = await uninterrupted(async () => {
    const dataKeys = await app
      .get(KeyRing)
      .rotateMasterKey((p) =>
        console.error(
          `data keys: ${p.examined} examined, ${p.rewrapped} re-wrapped, ${p.unreadableKeyIds.length} could not be opened`,
        ),
      );
    const webhooks = await app.get(WebhookRegistry).resealAll();
    return { dataKeys, webhooks };
  });
  const fact: MasterKeyRotatedV1 = {
    masterKeyId: keys.current.id,
    retiredKeyIds: keys.retired.map((k) => k.id),
    dataKeysExamined: dataKeys.examined,
    dataKeysRewrapped: dataKeys.rewrapped,
    dataKeysUnreadable: dataKeys.unreadableKeyIds.length,
    webhookSecretsResealed: webhooks.resealed,
    webhookSecretsUnreadable: webhooks.unreadableAgencyIds.length,
    complete: dataKeys.unreadableKeyIds.length === 0 && webhooks.unreadableAgencyIds.length === 0,
  };
  await app
    .get(EventStore)
    .append(MASTER_KEY_STREAM, 'any', [{ type: MASTER_KEY_ROTATED, data: fact }], { actor: systemActor('operator') });
  printJson({
    ...fact,
    unreadableDataKeyIds: dataKeys.unreadableKeyIds,
    unreadableWebhookAgencyIds: webhooks.unreadableAgencyIds,
  });
  if (fact.complete) {
    if (fact.retiredKeyIds.length)
      console.error('Everything is under the current master key: the retired keys may be removed.');
    return 0;
  }
  console.error(
    'Some keys could not be opened with any configured master key (listed above): keep the retired keys configured, add the missing one and run this again.',
  );
  return ROTATION_INCOMPLETE;
};

export interface RotateNotaryOptions {
  /** File with the new Ed25519 private key (PKCS#8 PEM, or DER in base64). Required outside local mode. */
  newKey?: string;
}

/**
 * Hand the notary over to a new key: the current key signs a last checkpoint naming the new
 * public key, and the new key signs it too. In local mode (the key lives in
 * `<data dir>/notary-key.json`) a new key is generated and written there, the old file kept as
 * `notary-key.<id>.retired.json`. Otherwise the operator brings the new key (`--new-key`) and
 * then sets HARBOUR_NOTARY_KEY to it.
 */
export const keysRotateNotary =
  (options: RotateNotaryOptions): CliCommand =>
  async (app) => {
    const config = app.get(HarbourConfig);
    const notary = app.get(Notary);
    const current = await notary.keyPair();
    const local = options.newKey ? false : await holdsLocally(config.HARBOUR_DATA_DIR, current);
    if (!options.newKey && !local) {
      console.error(
        '--new-key <file> is required when HARBOUR_NOTARY_KEY is configured: make one with ' +
          '`openssl genpkey -algorithm ed25519 -outform DER | base64 -w0 > new-notary.key`, keep it in your secret store, and pass it here',
      );
      return 1;
    }
    const next: NotaryKey = options.newKey
      ? notaryKeyFromText(await readFile(options.newKey, 'utf8'))
      : generateNotaryKey();
    // Local mode: the new key is on disk before the log names it, so it can never be lost.
    const staged = local ? join(config.HARBOUR_DATA_DIR, `notary-key.${next.keyId}.json`) : null;
    if (staged)
      await writeFile(
        staged,
        `${JSON.stringify({ keyId: next.keyId, privateKey: next.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64') }, null, 2)}\n`,
        { mode: 0o600, flag: 'wx' },
      );
    let checkpoint;
    try {
      checkpoint = await uninterrupted(() => notary.handOver(next));
    } catch (error) {
      if (!(error instanceof NotaryHandOverRefused)) throw error;
      console.error(`Notary hand-over refused: ${error.message}`);
      return 1;
    }
    const keyFile = staged ? await replaceLocalNotaryKey(config.HARBOUR_DATA_DIR, current, next) : null;
    if (staged) await rm(staged);
    printJson({ from: current.keyId, to: next.exportPublic(), checkpoint, keyFile });
    console.error(
      keyFile
        ? `The local notary key is now ${next.keyId} (${keyFile}); restart the API to sign with it.`
        : `Set HARBOUR_NOTARY_KEY to the new key (${next.keyId}) and restart the API: until then nothing is signed. ` +
            'Give auditors the new public key; the old one keeps verifying the checkpoints it signed.',
    );
    return 0;
  };

/** Local mode: the configured key is the one in `<data dir>/notary-key.json`. */
async function holdsLocally(dataDir: string, key: NotaryKey): Promise<boolean> {
  try {
    const stored = JSON.parse(await readFile(join(dataDir, LOCAL_NOTARY_KEY_FILE), 'utf8')) as { privateKey?: string };
    return typeof stored.privateKey === 'string' && notaryKeyFromText(stored.privateKey).keyId === key.keyId;
  } catch {
    return false;
  }
}
