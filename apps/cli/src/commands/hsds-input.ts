import { readFile } from 'node:fs/promises';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { type FieldProblem, fieldProblems } from '@harbour/kernel';
import type { ServiceDetails } from '@harbour/network';
// Neither the HSDS mapping nor ServiceDto is re-exported by @harbour/network's index.
import { fromHsds, type HsdsImport, HsdsInvalid, type HsdsOrganization } from '@harbour/network';
import { ServiceDto } from '@harbour/network';

/** An HSDS document that passed every check that needs no database. */
export interface CheckedImport {
  /** What to list, each with the JSON Pointer of the HSDS service it came from. */
  services: Array<{ path: string; hsdsId: string; details: ServiceDetails }>;
  refused: FieldProblem[];
  warnings: string[];
}

/**
 * Reads one HSDS 3.0 organization document (the standard's /organizations/{id} shape, which
 * `directory export` writes) and maps it. Problems go to `report`, by JSON path and never with
 * a value from the document; then the answer is null.
 */
export async function readOrganization(file: string, report: (line: string) => void): Promise<CheckedImport | null> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    // Not the parser's message: it can quote the document.
    const code = (error as NodeJS.ErrnoException).code;
    report(code ? `cannot read ${file} (${code})` : `${file} is not JSON`);
    return null;
  }
  if (isPagedList(doc)) {
    // Their items carry no services (organization_list) or no attributes, hence no needs (service_list).
    report(
      'a paged list (organization_list / service_list) cannot be imported: import one organization document with its services (GET /organizations/{id}, or `harbour directory export`)',
    );
    return null;
  }
  let imported: HsdsImport;
  try {
    imported = fromHsds(doc, 'organization');
  } catch (error) {
    if (!(error instanceof HsdsInvalid)) throw error;
    report(`${file} is not a valid HSDS 3.0 organization document:`);
    for (const { field, problem } of error.fields) report(`  ${field}: ${problem}`);
    return null;
  }
  return listable(imported, servicePaths(doc as HsdsOrganization, imported));
}

const isPagedList = (doc: unknown): boolean =>
  typeof doc === 'object' && doc !== null && Array.isArray((doc as { contents?: unknown }).contents) && !('id' in doc);

/** fromHsds keeps document order: walk `services` to find each mapped service's JSON path. */
function servicePaths(doc: HsdsOrganization, imported: HsdsImport): string[] {
  const all = doc.services ?? [];
  let i = 0;
  return imported.services.map((s) => {
    while (i < all.length && all[i].id !== s.externalId) i++;
    return `/services/${i++}`;
  });
}

/** The API's own rules for a listing (ServiceDto): the CLI lists nothing POST /services would refuse. */
function listable(imported: HsdsImport, paths: string[]): CheckedImport {
  const out: CheckedImport = { services: [], refused: [...imported.refused], warnings: [...imported.warnings] };
  imported.services.forEach(({ externalId, ...details }, n) => {
    const path = paths[n];
    const errors = validateSync(plainToInstance(ServiceDto, details), {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    if (errors.length === 0) return out.services.push({ path, hsdsId: externalId, details });
    const problems = fieldProblems(errors).map((p) => `${p.field}: ${p.problem}`);
    out.refused.push({ field: path, problem: `breaks the directory's listing rules (${problems.join('; ')})` });
  });
  return out;
}
