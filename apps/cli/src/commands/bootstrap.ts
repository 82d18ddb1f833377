import { isEmail } from 'class-validator';
import { EventStore } from '@harbour/event-store';
import { DomainError, HarbourConfig } from '@harbour/kernel';
import {
  type BootstrapInput,
  type BootstrapResult,
  NETWORK_STREAM,
  NetworkBootstrap,
  NetworkErrors,
} from '@harbour/network';
import { type CliCommand, printJson, uninterrupted, withHarbour } from '../run.js';
import { REGION_PATTERN, SECTORS, type Sector } from '@harbour/vocabulary';

export interface BootstrapOptions {
  agencyName: string;
  sector: string;
  regions: string;
  contactName: string;
  contactEmail: string;
  adminName: string;
  adminEmail: string;
  adminUser?: string;
}

/** The OIDC subject rule of the API's AddStaffDto. */
const USER_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * The API's own rules (ApplyDto, AddStaffDto), checked before anything boots: a bootstrap
 * must not be refused halfway, after it has claimed the network. Each problem names its option.
 */
export function bootstrapInput(o: BootstrapOptions): BootstrapInput | string[] {
  const problems: string[] = [];
  const text = (option: string, value: string, min: number) => {
    if (value.trim().length < min || value.length > 200) problems.push(`${option} must be ${min} to 200 characters`);
  };
  const email = (option: string, value: string) =>
    isEmail(value) || problems.push(`${option} must be an email address`);
  text('--agency-name', o.agencyName, 2);
  if (!(SECTORS as readonly string[]).includes(o.sector))
    problems.push(`--sector must be one of: ${SECTORS.join(', ')}`);
  const regions = [
    ...new Set(
      o.regions
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== ''),
    ),
  ];
  if (regions.length === 0 || regions.length > 200)
    problems.push('--regions must list 1 to 200 region codes, comma-separated');
  for (const r of regions.filter((r) => !REGION_PATTERN.test(r))) {
    problems.push(
      `--regions: "${r}" is not a region code (2-40 lowercase letters, digits or hyphens, e.g. on-toronto)`,
    );
  }
  text('--contact-name', o.contactName, 1);
  email('--contact-email', o.contactEmail);
  text('--admin-name', o.adminName, 1);
  email('--admin-email', o.adminEmail);
  if (o.adminUser !== undefined && !USER_ID.test(o.adminUser))
    problems.push(
      '--admin-user must be 1-128 letters, digits or ._:@- (the subject your identity provider gives the admin)',
    );
  if (problems.length > 0) return problems;
  const agency = {
    name: o.agencyName.trim(),
    sector: o.sector as Sector,
    regions,
    contact: { name: o.contactName.trim(), email: o.contactEmail },
  };
  const admin = {
    displayName: o.adminName.trim(),
    email: o.adminEmail,
    ...(o.adminUser === undefined ? {} : { userId: o.adminUser }),
  };
  return { agency, admin };
}

/** `harbour bootstrap …`: the network's first agency and network admin, exactly once. */
export async function bootstrap(options: BootstrapOptions): Promise<number> {
  const input = bootstrapInput(options);
  if (Array.isArray(input)) {
    for (const problem of input) console.error(`harbour bootstrap: ${problem}`);
    return 1;
  }
  return withHarbour(bootstrapCommand(input));
}

export const bootstrapCommand =
  (input: BootstrapInput): CliCommand =>
  async (app) => {
    // NetworkBootstrap resumes a run that was cut short; say so, since that run's values (and ids) win.
    const resuming = (await app.get(EventStore).readStream(NETWORK_STREAM)).length > 0;
    let ids: BootstrapResult;
    try {
      ids = await uninterrupted(() => app.get(NetworkBootstrap).run(input));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== NetworkErrors.alreadyBootstrapped.code) throw error;
      console.error('harbour bootstrap: already bootstrapped: add agencies and staff through the API');
      return 1;
    }
    if (resuming)
      console.error(
        'harbour bootstrap: finished a bootstrap an earlier run had started; the steps it completed (and its ids) were kept',
      );
    printJson(ids);
    if (app.get(HarbourConfig).HARBOUR_DEV_KEYS) {
      console.error(
        `Development keys are on: mint a token for the network admin with\n  harbour token --user ${ids.adminUserId}`,
      );
    }
    return 0;
  };
