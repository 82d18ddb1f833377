import { DomainError } from '@harbour/kernel';

/**
 * The survivor's data key was destroyed (erasure): what was encrypted under it can never be
 * read again. The survivor id stays out of the message and the details.
 */
export class DataErased extends DomainError {
  constructor() {
    super('conflict', 'data-erased', 'This data was erased at the survivor\'s request and can no longer be read');
  }
}

/**
 * A ciphertext did not authenticate: changed, truncated, for another survivor or section, or
 * under an unknown key. Says which check failed (a fixed word), never any data.
 */
export class DecryptionFailed extends DomainError {
  constructor(readonly reason: 'malformed' | 'unknown-key' | 'not-authentic') {
    super('conflict', 'decryption-failed', 'Encrypted data could not be decrypted', { reason });
  }
}

/**
 * No master key can unwrap a stored data key (its master key is neither current nor retired).
 * Only key ids, which are not secret, are named.
 */
export class MasterKeyUnavailable extends DomainError {
  constructor(readonly masterKeyId: string) {
    super('unavailable', 'master-key-unavailable', 'A data key is wrapped under a master key this process does not have', { masterKeyId });
  }
}
