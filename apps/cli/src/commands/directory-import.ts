import { CommandBus } from '@nestjs/cqrs';
import type { Principal } from '@harbour/auth';
import { EventStore, IdempotencyKeyReused } from '@harbour/event-store';
import { DomainError, type FieldProblem, newId } from '@harbour/kernel';
import { AgencyLookup, ChangeService, type ServiceResult } from '@harbour/network';
import { type CliCommand, printJson, withHarbour } from '../run.js';
import { type CheckedImport, readOrganization } from './hsds-input.js';
import { agencyIdProblem } from './options.js';

/** Who the listings are recorded as. */
export const IMPORT_USER = 'system:directory-import';
/** AggregateRepository's default idempotency scope: keys are unique per acting user. */
const IMPORT_SCOPE = `user:${IMPORT_USER}`;

/** One key per (agency, HSDS service id): importing the same document again appends nothing. */
export const importKey = (agencyId: string, hsdsServiceId: string) => `hsds-import:${agencyId}:${hsdsServiceId}`;

export interface ImportSummary {
  listed: number;
  /** Imported before with the same details: answered from the first import, nothing appended. */
  alreadyListed: number;
  refused: FieldProblem[];
  warnings: string[];
  services: Array<{ path: string; hsdsId: string; serviceId: string; outcome: 'listed' | 'alreadyListed' }>;
}

const report = (line: string) => console.error(`harbour directory import: ${line}`);

/** `harbour directory import <file> --agency <id>`: the document is checked before anything boots. */
export async function directoryImport(file: string, options: { agency: string }): Promise<number> {
  const problem = agencyIdProblem(options.agency);
  if (problem) {
    report(problem);
    return 1;
  }
  const checked = await readOrganization(file, report);
  return checked ? withHarbour(importCommand(options.agency, checked)) : 1;
}

/**
 * Lists each service through the CommandBus, as the API would, acting as network admin for the
 * agency. A refused service does not stop the others; a re-run lists only what is new.
 */
export const importCommand =
  (agencyId: string, checked: CheckedImport): CliCommand =>
  async (app) => {
    // Current state, not a read model: the CLI runs no projections.
    const agency = await app.get(AgencyLookup).of(agencyId);
    if (agency.status === 'none') {
      report(`no agency has id "${agencyId}"`);
      return 1;
    }
    if (agency.status !== 'active') {
      report(`agency "${agencyId}" is ${agency.status}; only active agencies list services`);
      return 1;
    }
    const principal: Principal = {
      userId: IMPORT_USER,
      agencyId,
      roles: ['network-admin'],
      agencyStatus: agency.status,
      agencyTier: agency.tier ?? agency.requestedTier,
    };
    const requestId = newId(); // ties this run's events together in the log
    const [bus, store] = [app.get(CommandBus), app.get(EventStore)];
    const summary: ImportSummary = {
      listed: 0,
      alreadyListed: 0,
      refused: [...checked.refused],
      warnings: [
        "/: the organization's own fields are not imported; the agency's record is unchanged",
        ...checked.warnings,
      ],
      services: [],
    };

    for (const { path, hsdsId, details } of checked.services) {
      const key = importKey(agencyId, hsdsId);
      // Only to tell "listed" from "alreadyListed": the repository's idempotency is what prevents a duplicate.
      const prior = await store.findIdempotencyRecord(IMPORT_SCOPE, key);
      try {
        const meta = { principal, requestId, idempotencyKey: key, ifMatch: null };
        const { serviceId } = await bus.execute(new ChangeService(meta, { type: 'list', agencyId, details }));
        const outcome = prior ? 'alreadyListed' : 'listed';
        summary[outcome]++;
        summary.services.push({ path, hsdsId, serviceId, outcome });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const problem =
          error instanceof IdempotencyKeyReused
            ? `imported into this agency before with other details (service ${(prior?.result as ServiceResult | undefined)?.serviceId}); change that listing through the API`
            : `${error.message} (${error.code})`;
        summary.refused.push({ field: path, problem });
      }
    }
    printJson(summary);
    return 0;
  };
