import type { Decider } from '@harbour/event-store';
import { DomainError } from '@harbour/kernel';
import type { AgencyStatus } from '../taxonomy.js';
import type { ServiceDetails } from './service-details.js';
import { NetworkErrors as E } from '../errors.js';

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
  { status: 'none' } | { status: 'listed' | 'withdrawn'; serviceId: string; agencyId: string; details: ServiceDetails };

function requireOwner(actor: { agencyId: string | null; role: string | null }, agencyId: string): void {
  if (actor.role !== 'network-admin' && !(actor.role === 'agency-admin' && actor.agencyId === agencyId)) {
    throw DomainError.of(E.notServiceOwner);
  }
}

function requireSaneDetails(details: ServiceDetails): void {
  const { minAge, maxAge } = details.eligibility;
  if (minAge !== null && maxAge !== null && minAge > maxAge) {
    throw DomainError.of(E.ageRangeInverted, {
      fields: [{ field: 'eligibility.minAge', problem: 'must not be greater than eligibility.maxAge' }],
    });
  }
  details.hours.forEach((h, i) => {
    if (h.opens >= h.closes) {
      throw DomainError.of(E.hoursInverted, {
        fields: [{ field: `hours.${i}.closes`, problem: 'must be later than opens' }],
      });
    }
  });
}

export const serviceDecider: Decider<ServiceState, ServiceCommand, ServiceEvent> = {
  initialState: () => ({ status: 'none' }),

  decide(command, state, { actor }) {
    if (command.type === 'ListService') {
      if (state.status !== 'none') throw DomainError.of(E.serviceExists);
      requireOwner(actor, command.agencyId);
      if (command.agencyStatus !== 'active')
        throw DomainError.of(E.agencyNotActive, { message: 'Only active agencies list services' });
      requireSaneDetails(command.details);
      return [
        {
          type: 'ServiceListed',
          data: { serviceId: command.serviceId, agencyId: command.agencyId, details: command.details },
        },
      ];
    }
    if (state.status === 'none') throw DomainError.of(E.serviceNotFound);
    requireOwner(actor, state.agencyId);
    if (state.status === 'withdrawn') throw DomainError.of(E.serviceWithdrawn);
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
