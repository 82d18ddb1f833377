import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Projection, ProjectionRunner, type StoredEvent } from '@harbour/event-store';
import type { ServiceDetails } from './service-details.js';
import type { ServiceEvent } from './service.decider.js';

/** `directory_services`: the searchable service directory. */
@Injectable()
export class DirectoryProjection implements Projection, OnModuleInit {
  readonly name = 'directory-services';
  readonly eventTypes = ['ServiceListed', 'ServiceUpdated', 'ServiceWithdrawn'];

  constructor(private readonly runner: ProjectionRunner) {}

  onModuleInit(): void {
    this.runner.register(this);
  }

  async apply(stored: StoredEvent, m: EntityManager): Promise<void> {
    const event = stored as unknown as ServiceEvent;
    const serviceId = stored.streamId.slice('service-'.length);
    switch (event.type) {
      case 'ServiceListed':
        await m.query(
          `INSERT INTO directory_services (service_id, agency_id, name, description, needs, languages, regions, gender, min_age, max_age,
             hours, accepting_referrals, response_window_hours, address, address_confidential, updated_at)
           VALUES ($1, $2, ${DETAIL_PLACEHOLDERS(3)}, $16)`,
          [serviceId, event.data.agencyId, ...detailValues(event.data.details), stored.recordedAt],
        );
        return;
      case 'ServiceUpdated':
        await m.query(
          `UPDATE directory_services SET (name, description, needs, languages, regions, gender, min_age, max_age, hours,
             accepting_referrals, response_window_hours, address, address_confidential, updated_at) = (${DETAIL_PLACEHOLDERS(2)}, $15)
           WHERE service_id = $1`,
          [serviceId, ...detailValues(event.data.details), stored.recordedAt],
        );
        return;
      case 'ServiceWithdrawn':
        await m.query('UPDATE directory_services SET withdrawn = true, updated_at = $2 WHERE service_id = $1', [
          serviceId,
          stored.recordedAt,
        ]);
        return;
    }
  }

  async reset(m: EntityManager): Promise<void> {
    await m.query('DELETE FROM directory_services');
  }
}

/** The 13 detail columns, as $n placeholders starting at `from`. */
const DETAIL_PLACEHOLDERS = (from: number) => Array.from({ length: 13 }, (_, i) => `$${from + i}`).join(', ');

const detailValues = (d: ServiceDetails) => [
  d.name,
  d.description,
  d.needs,
  d.languages,
  d.regions,
  d.eligibility.gender,
  d.eligibility.minAge,
  d.eligibility.maxAge,
  JSON.stringify(d.hours),
  d.acceptingReferrals,
  d.responseWindowHours,
  d.address ? JSON.stringify(d.address) : null,
  d.addressConfidential,
];
