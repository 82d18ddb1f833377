/**
 * Master-key rotations are facts in the log (stream `privacy-master-keys`), so the record of
 * when keys changed survives in every backup and export. They name key ids and counts only:
 * never key bytes, and no survivor (a data key id is random and says nothing by itself).
 */
export const MASTER_KEY_STREAM = 'privacy-master-keys';
export const MASTER_KEY_ROTATED = 'MasterKeyRotated';

/** Payload of `MasterKeyRotated` v1: one run of `harbour keys rotate-master`. */
export interface MasterKeyRotatedV1 {
  /** The master key everything was re-wrapped under. */
  masterKeyId: string;
  /** The retired master keys configured during the run (still needed while anything is unreadable). */
  retiredKeyIds: string[];
  dataKeysExamined: number;
  dataKeysRewrapped: number;
  /** Data keys no configured master key could unwrap: left as they were. */
  dataKeysUnreadable: number;
  webhookSecretsResealed: number;
  webhookSecretsUnreadable: number;
  /** True when nothing was left under a retired key: the retired keys may now be removed. */
  complete: boolean;
}
