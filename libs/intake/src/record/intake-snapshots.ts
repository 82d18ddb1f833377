import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventStore, ProjectionRunner, SnapshotProjection } from '@harbour/event-store';
import { INTAKE_EVENT_TYPES, intakeDecider } from './intake.decider.js';

/** Names the snapshot shape; bump it when IntakeState changes (then rebuild the projection). */
export const INTAKE_SNAPSHOT_KIND = 'intake-v3';

/**
 * Snapshots of each intake every 50 events, so `?asOf=` reads of a long history fold at most
 * 50 events. Snapshots hold the state as the events do: section contents stay encrypted.
 */
@Injectable()
export class IntakeSnapshots implements OnModuleInit {
  static readonly EVERY = 50;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly store: EventStore,
  ) {}

  onModuleInit(): void {
    this.runner.register(
      new SnapshotProjection(this.store, {
        kind: INTAKE_SNAPSHOT_KIND,
        streamPrefix: 'intake-',
        eventTypes: INTAKE_EVENT_TYPES,
        folder: intakeDecider,
        every: IntakeSnapshots.EVERY,
      }),
    );
  }
}
