import { DomainError, type ErrorCatalogue } from '@harbour/kernel';

/** Stable codes of the privacy lib's DomainErrors; clients switch on these, so never rename one. */
export const PrivacyErrors = {
  dataErased: {
    code: 'data-erased',
    kind: 'conflict',
    message: "This data was erased at the survivor's request and can no longer be read",
  },
  decryptionFailed: { code: 'decryption-failed', kind: 'conflict', message: 'Encrypted data could not be decrypted' },
  masterKeyUnavailable: {
    code: 'master-key-unavailable',
    kind: 'unavailable',
    message: 'A data key is wrapped under a master key this process does not have',
  },
} as const satisfies ErrorCatalogue;

const E = PrivacyErrors;

/**
 * The survivor's data key was destroyed (erasure): what was encrypted under it can never be
 * read again. The survivor id stays out of the message and the details.
 */
export class DataErased extends DomainError {
  constructor() {
    super(E.dataErased.kind, E.dataErased.code, E.dataErased.message);
  }
}

/**
 * A ciphertext did not authenticate: changed, truncated, for another survivor or section, or
 * under an unknown key. Says which check failed (a fixed word), never any data.
 */
export class DecryptionFailed extends DomainError {
  constructor(readonly reason: 'malformed' | 'unknown-key' | 'not-authentic') {
    super(E.decryptionFailed.kind, E.decryptionFailed.code, E.decryptionFailed.message, { reason });
  }
}

/**
 * No master key can unwrap a stored data key (its master key is neither current nor retired).
 * Only key ids, which are not secret, are named.
 */
export class MasterKeyUnavailable extends DomainError {
  constructor(readonly masterKeyId: string) {
    super(E.masterKeyUnavailable.kind, E.masterKeyUnavailable.code, E.masterKeyUnavailable.message, { masterKeyId });
  }
}
