import type { Decider } from '@harbour/event-store';
import { DomainError } from '@harbour/kernel';
import type { AgencyStatus } from '../taxonomy.js';
import type { ServiceDetails } from './service-details.js';

/** A listed service (stream `service-<id>`), owned by one agency. */
export type ServiceEvent =
  | { type: 'ServiceListed'; data: { serviceId: string; agencyId: string; details: ServiceDetails } }
  | { type: 'ServiceUpdated'; data: { details: ServiceDetails } }
  | { type: 'ServiceWithdrawn'; data: Record<string, never> };

export type ServiceCommand =
  | { type: 'ListService'; serviceId: string; agencyId: string; agencyStatus: AgencyStatus; details: ServiceDetails }
  | { type: 'UpdateService'; details: ServiceDetails }
  | { type: 'WithdrawService' };

export type ServiceState =
  | { status: 'none' }
  | { status: 'listed' | 'withdrawn'; serviceId: string; agencyId: string; details: ServiceDetails };

function requireOwner(actor: { agencyId: string | null; role: string | null }, agencyId: string): void {
  if (actor.role !== 'network-admin' && !(actor.role === 'agency-admin' && actor.agencyId === agencyId)) {
    throw new DomainError('forbidden', 'not-service-owner', "Only the agency's own admins list and change its services");
  }
}

function requireSaneDetails(details: ServiceDetails): void {
  const { minAge, maxAge } = details.eligibility;
  if (minAge !== null && maxAge !== null && minAge > maxAge) {
    throw new DomainError('invalid', 'age-range-inverted', 'The minimum age is above the maximum age', {}, [
      { field: 'eligibility.minAge', problem: 'must not be greater than eligibility.maxAge' },
    ]);
  }
  details.hours.forEach((h, i) => {
    if (h.opens >= h.closes) {
      throw new DomainError('invalid', 'hours-inverted', 'Opening hours close before they open', {}, [
        { field: `hours.${i}.closes`, problem: 'must be later than opens' },
      ]);
    }
  });
}

export const serviceDecider: Decider<ServiceState, ServiceCommand, ServiceEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, { actor }) {
    if (command.type === 'ListService') {
      if (state.status !== 'none') throw new DomainError('conflict', 'service-exists', 'This service already exists');
      requireOwner(actor, command.agencyId);
      if (command.agencyStatus !== 'active') throw new DomainError('conflict', 'agency-not-active', 'Only active agencies list services');
      requireSaneDetails(command.details);
      return [{ type: 'ServiceListed', data: { serviceId: command.serviceId, agencyId: command.agencyId, details: command.details } }];
    }
    if (state.status === 'none') throw new DomainError('not-found', 'service-not-found', 'Service not found');
    requireOwner(actor, state.agencyId);
    if (state.status === 'withdrawn') throw new DomainError('conflict', 'service-withdrawn', 'This service was withdrawn');
    switch (command.type) {
      case 'UpdateService':
        requireSaneDetails(command.details);
        return [{ type: 'ServiceUpdated', data: { details: command.details } }];
      case 'WithdrawService':
        return [{ type: 'ServiceWithdrawn', data: {} }];
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ServiceListed':
        return { status: 'listed', ...event.data };
      case 'ServiceUpdated':
        return state.status === 'none' ? state : { ...state, details: event.data.details };
      case 'ServiceWithdrawn':
        return state.status === 'none' ? state : { ...state, status: 'withdrawn' };
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

