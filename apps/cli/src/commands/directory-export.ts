import { rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ProjectionRunner } from '@harbour/event-store';
import { NotFound } from '@harbour/kernel';
import { AgencyQueries, type AgencyView, DirectoryQueries } from '@harbour/network';
// The HSDS mapping is not re-exported by @harbour/network's index; import it from its folder.
import { toHsds } from '@harbour/network';
import { type CliCommand, printJson, withHarbour } from '../run.js';
import { agencyIdProblem } from './options.js';

/** The read models this export reads. */
const READ_MODELS = ['network-agencies', 'directory-services'];

/**
 * `harbour directory export --agency <id> [--out <file>]`: the agency and its listed services
 * as one HSDS 3.0 organization document. toHsds checks it against the standard's schemas and
 * never includes a confidential address (the service goes out without a location).
 */
export async function directoryExport(options: { agency: string; out?: string }): Promise<number> {
  const problem = agencyIdProblem(options.agency);
  if (problem) console.error(`harbour directory export: ${problem}`);
  return problem ? 1 : withHarbour(exportCommand(options));
}

export const exportCommand =
  (options: { agency: string; out?: string }): CliCommand =>
  async (app) => {
    // The CLI runs no projections live: bring what we read up to the end of the log first.
    const runner = app.get(ProjectionRunner);
    for (const name of READ_MODELS) await runner.catchUp(name);

    let agency: AgencyView;
    try {
      agency = await app.get(AgencyQueries).get(options.agency);
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      console.error(`harbour directory export: no agency has id "${options.agency}"`);
      return 1;
    }
    if (agency.status !== 'active')
      console.error(
        `harbour directory export: warning: the agency is ${agency.status}; the network's directory does not show its services`,
      );

    const services = await app.get(DirectoryQueries).ofAgency(agency.agencyId);
    const doc = toHsds(
      { id: agency.agencyId, name: agency.name },
      services.map(({ serviceId, agencyId, agencyName, ...details }) => ({ id: serviceId, ...details })),
    );
    const hidden = services.filter((s) => s.address && s.addressConfidential).length;
    if (hidden > 0)
      console.error(
        `harbour directory export: ${hidden} service(s) with a confidential address exported without a location`,
      );

    if (options.out === undefined) {
      printJson(doc);
      return 0;
    }
    // Write then rename: a failed export never leaves a half-written file where the old one was.
    const out = resolve(options.out);
    const partial = `${out}.${process.pid}.partial`;
    try {
      await writeFile(partial, `${JSON.stringify(doc, null, 2)}\n`);
      await rename(partial, out);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    printJson({ agencyId: agency.agencyId, services: doc.services?.length ?? 0, out });
    return 0;
  };
