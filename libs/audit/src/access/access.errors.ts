import { DomainError } from '@harbour/kernel';
import { AuditErrors } from '../errors.js';

/**
 * The access event of a read could not be recorded, so the read must be refused (fail closed).
 * `reason` is `store-failed` (the append did not commit) or `invalid-record` (the recorder was
 * handed something it may not store: a programming error). The survivor stays out of the
 * message and the details; the underlying error is kept on `cause` for safeErrorSummary only.
 */
export class AccessNotRecorded extends DomainError {
  constructor(
    readonly reason: 'store-failed' | 'invalid-record',
    override readonly cause?: unknown,
  ) {
    const spec = AuditErrors.accessNotRecorded;
    super(spec.kind, spec.code, spec.message);
  }
}
