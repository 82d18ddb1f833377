import type { Decider } from '@harbour/event-store';
import { DomainError, type ErrorSpec, ValidationFailed } from '@harbour/kernel';
import type { BreakGlassGrant } from '@harbour/consent';
import type { Cipher } from '@harbour/privacy';
import { AuditErrors as E } from '../errors.js';

/** All emergency accesses to one survivor's record live in one stream. */
export const breakGlassStream = (survivorId: string): string => `break-glass-${survivorId}`;

export const BREAK_GLASS = {
  minJustification: 40,
  maxJustification: 4000,
  defaultHours: 4,
  maxHours: 24,
} as const;

export type Finding = 'justified' | 'not-justified';
export const FINDINGS: readonly Finding[] = ['justified', 'not-justified'];

/**
 * Break-glass (stream `break-glass-<survivorId>`). The justification is encrypted with the
 * survivor's data key (it may well describe them; erasure makes it unreadable with the rest).
 */
export type BreakGlassEvent =
  | {
      type: 'BreakGlassOpened';
      data: {
        grantId: string;
        survivorId: string;
        userId: string;
        agencyId: string;
        justification: Cipher;
        openedAt: string;
        expiresAt: string;
      };
    }
  | {
      type: 'BreakGlassClosed';
      data: { grantId: string; survivorId: string; reason: 'closed' | 'expired'; closedBy: string; closedAt: string };
    }
  | {
      type: 'BreakGlassReviewed';
      data: {
        grantId: string;
        survivorId: string;
        finding: Finding;
        note: Cipher;
        reviewerId: string;
        reviewerAgencyId: string | null;
        reviewedAt: string;
      };
    };

export type BreakGlassCommand =
  | {
      type: 'OpenBreakGlass';
      grantId: string;
      survivorId: string;
      justification: Cipher;
      justificationLength: number;
      hours: number;
      intakeExists: boolean;
    }
  | { type: 'CloseBreakGlass'; grantId: string }
  | { type: 'ExpireBreakGlass'; grantId: string }
  | { type: 'ReviewBreakGlass'; grantId: string; finding: Finding; note: Cipher; officerScope: 'network' | 'agency' };

export interface GrantState {
  grantId: string;
  survivorId: string;
  userId: string;
  agencyId: string;
  openedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: 'closed' | 'expired' | null;
  finding: Finding | null;
}

export interface BreakGlassState {
  grants: Record<string, GrantState>;
}

const refuse = (spec: ErrorSpec) => DomainError.of(spec);

/** The grant of `userId` open at `at` (closed and expired grants are not), as the decision point wants it. */
export function openGrant(state: BreakGlassState, userId: string, at: Date): BreakGlassGrant | null {
  const now = at.getTime();
  for (const g of Object.values(state.grants)) {
    if (g.userId === userId && g.endedAt === null && Date.parse(g.openedAt) <= now && now < Date.parse(g.expiresAt)) {
      return { grantId: g.grantId, userId: g.userId, openedAt: g.openedAt, expiresAt: g.expiresAt };
    }
  }
  return null;
}

const ended = (g: GrantState, now: Date) => g.endedAt !== null || now.getTime() >= Date.parse(g.expiresAt);

/**
 * Rules: only a supervisor opens one, for themselves, on an existing intake, with a written
 * justification of at least 40 characters, for 1 to 24 hours (default 4); one open grant per
 * supervisor and survivor. The opener closes it early (or it expires: the sweeper records
 * that). A privacy officer reviews it once it has ended — one finding, never changed; an agency
 * privacy officer only for their own agency's supervisor, and never their own grant.
 */
export const breakGlassDecider: Decider<BreakGlassState, BreakGlassCommand, BreakGlassEvent> = {
  initialState: () => ({ grants: {} }),

  decide(command, state, { actor, now }) {
    const at = now.toISOString();
    switch (command.type) {
      case 'OpenBreakGlass': {
        if (actor.role !== 'supervisor' || !actor.agencyId) throw refuse(E.notASupervisor);
        if (!command.intakeExists) throw refuse(E.intakeNotFound);
        if (command.justificationLength < BREAK_GLASS.minJustification) {
          throw new ValidationFailed([
            { field: 'justification', problem: `must be at least ${BREAK_GLASS.minJustification} characters` },
          ]);
        }
        if (!Number.isInteger(command.hours) || command.hours < 1 || command.hours > BREAK_GLASS.maxHours) {
          throw new ValidationFailed([
            { field: 'hours', problem: `must be a whole number from 1 to ${BREAK_GLASS.maxHours}` },
          ]);
        }
        if (state.grants[command.grantId]) throw refuse(E.breakGlassExists);
        if (openGrant(state, actor.userId, now)) throw refuse(E.breakGlassAlreadyOpen);
        const expiresAt = new Date(now.getTime() + command.hours * 3_600_000).toISOString();
        return [
          {
            type: 'BreakGlassOpened',
            data: {
              grantId: command.grantId,
              survivorId: command.survivorId,
              userId: actor.userId,
              agencyId: actor.agencyId,
              justification: command.justification,
              openedAt: at,
              expiresAt,
            },
          },
        ];
      }
      case 'CloseBreakGlass':
      case 'ExpireBreakGlass': {
        const grant = state.grants[command.grantId];
        if (!grant) throw refuse(E.breakGlassNotFound);
        if (grant.endedAt !== null) throw refuse(E.breakGlassEnded);
        const survivorId = survivorOf(command, state);
        if (command.type === 'CloseBreakGlass') {
          if (actor.userId !== grant.userId) throw refuse(E.notTheOpener);
          if (now.getTime() >= Date.parse(grant.expiresAt)) {
            return [
              {
                type: 'BreakGlassClosed',
                data: {
                  grantId: grant.grantId,
                  survivorId,
                  reason: 'expired',
                  closedBy: 'system:break-glass',
                  closedAt: grant.expiresAt,
                },
              },
            ];
          }
          return [
            {
              type: 'BreakGlassClosed',
              data: { grantId: grant.grantId, survivorId, reason: 'closed', closedBy: actor.userId, closedAt: at },
            },
          ];
        }
        if (now.getTime() < Date.parse(grant.expiresAt)) throw refuse(E.breakGlassNotExpired);
        return [
          {
            type: 'BreakGlassClosed',
            data: {
              grantId: grant.grantId,
              survivorId,
              reason: 'expired',
              closedBy: actor.userId,
              closedAt: grant.expiresAt,
            },
          },
        ];
      }
      case 'ReviewBreakGlass': {
        const grant = state.grants[command.grantId];
        if (!grant) throw refuse(E.breakGlassNotFound);
        if (command.officerScope === 'agency' && actor.agencyId !== grant.agencyId) throw refuse(E.breakGlassNotFound);
        if (actor.userId === grant.userId) throw refuse(E.ownBreakGlass);
        if (!ended(grant, now)) throw refuse(E.breakGlassStillOpen);
        if (grant.finding !== null) throw refuse(E.breakGlassReviewed);
        return [
          {
            type: 'BreakGlassReviewed',
            data: {
              grantId: grant.grantId,
              survivorId: survivorOf(command, state),
              finding: command.finding,
              note: command.note,
              reviewerId: actor.userId,
              reviewerAgencyId: actor.agencyId,
              reviewedAt: at,
            },
          },
        ];
      }
      default: {
        const unknown: never = command;
        throw new Error(`unknown command ${(unknown as { type: string }).type}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BreakGlassOpened': {
        const d = event.data;
        return {
          grants: {
            ...state.grants,
            [d.grantId]: {
              grantId: d.grantId,
              userId: d.userId,
              agencyId: d.agencyId,
              openedAt: d.openedAt,
              expiresAt: d.expiresAt,
              endedAt: null,
              endReason: null,
              finding: null,
              survivorId: d.survivorId,
            },
          },
        };
      }
      case 'BreakGlassClosed': {
        const g = state.grants[event.data.grantId];
        return g
          ? {
              grants: {
                ...state.grants,
                [g.grantId]: { ...g, endedAt: event.data.closedAt, endReason: event.data.reason },
              },
            }
          : state;
      }
      case 'BreakGlassReviewed': {
        const g = state.grants[event.data.grantId];
        return g ? { grants: { ...state.grants, [g.grantId]: { ...g, finding: event.data.finding } } } : state;
      }
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

const survivorOf = (command: { grantId: string }, state: BreakGlassState): string =>
  state.grants[command.grantId].survivorId;
