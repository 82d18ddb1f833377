import type { StoredEvent } from '../envelope.js';

/** Published on the @nestjs/cqrs EventBus once an event is durably stored (never before). */
export class EventRecorded<T = unknown> {
  constructor(readonly event: StoredEvent<T>) {}
}
