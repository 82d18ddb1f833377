import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import pg from 'pg';
import { AggregateRepository } from '@harbour/event-store';
import { loadConfig, newId } from '@harbour/kernel';
import { agencyDecider, agencyStream, ChangeService, type ServiceDetails } from '@harbour/network';
import { CliModule } from '../../apps/cli/src/cli.module.js';
import { validateHsds } from '../../libs/network/src/directory/hsds/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { CLI, harbour } from '../support/cli.js';

const EXAMPLE = fileURLToPath(new URL('../fixtures/hsds/organization_full.json', import.meta.url));

const BOOTSTRAP = [
  'bootstrap',
  '--agency-name',
  'Network Secretariat',
  '--sector',
  'other',
  '--regions',
  'on-toronto,on-ottawa',
  '--contact-name',
  'Synthetic Secretary',
  '--contact-email',
  'sec@example.org',
  '--admin-name',
  'Synthetic Admin',
  '--admin-email',
  'admin@example.org',
];

describe('harbour bootstrap / directory import / directory export (built CLI, real database)', () => {
  let database: TestDatabase;
  let dir: string;
  let pool: pg.Pool;
  let nest: INestApplicationContext | undefined;
  let agencyId: string;
  let secondAgencyId: string;
  // With DATABASE_URL, Harbour wants a master key for survivors' data keys (libs/privacy).
  const masterKey = randomBytes(32).toString('base64');
  const run = (...args: string[]) =>
    harbour(args, {
      DATABASE_URL: database.url,
      HARBOUR_MASTER_KEY: masterKey,
      HARBOUR_DATA_DIR: dir,
      HARBOUR_DEV_KEYS: 'true',
    });
  const file = async (name: string, doc: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(doc));
    return path;
  };
  const example = async () => JSON.parse(await readFile(EXAMPLE, 'utf8'));
  /**
   * The standard's example made listable (the fixture itself stays unchanged): its one service's
   * taxonomy term becomes one of our needs, and its service area (named by a sentence) a region code.
   */
  const counselling = async ({ region = true } = {}) => {
    const doc = await example();
    doc.services[0].attributes[0].taxonomy_term.code = 'counselling';
    if (region) doc.services[0].service_areas[0].name = 'on-toronto';
    return doc;
  };
  const listed = async (
    agency: string,
  ): Promise<Array<{ stream_id: string; data: { details: ServiceDetails }; actor: string }>> =>
    (
      await pool.query(
        "SELECT stream_id, data, metadata->'actor'->>'userId' AS actor FROM harbour_events WHERE type = 'ServiceListed' AND data->>'agencyId' = $1 ORDER BY global_position",
        [agency],
      )
    ).rows;
  /** The same stack as the CLI, in process: for what no command does (a second agency, a confidential address). */
  const context = async () =>
    (nest ??= await NestFactory.createApplicationContext(
      CliModule.forRoot(
        loadConfig({ DATABASE_URL: database.url, HARBOUR_MASTER_KEY: masterKey, HARBOUR_PROJECTIONS: 'false' }),
      ),
      { logger: false, abortOnError: false },
    ));

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm test does)`);
    database = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'harbour-directory-'));
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await nest?.close();
    await pool?.end();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('bootstrap refuses bad input before anything boots, naming each option', async () => {
    const args = [...BOOTSTRAP];
    args[args.indexOf('--sector') + 1] = 'pirates';
    args[args.indexOf('--admin-email') + 1] = 'not-an-email';
    const result = await run(...args, '--regions', 'on-toronto,Bad Region');
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/--sector must be one of: victim-services, shelter/);
    expect(result.stderr).toMatch(/--admin-email must be an email address/);
    expect(result.stderr).toMatch(/--regions: "Bad Region" is not a region code/);
    const { rows } = await pool.query("SELECT to_regclass('harbour_events')::text AS t");
    expect(rows[0].t).toBeNull(); // not even migrated: nothing was started
  });

  it('bootstrap prints the ids and a token hint, the admin can get a token, and a second run is refused', async () => {
    const result = await run(...BOOTSTRAP, '--admin-user', 'oidc-admin-1');
    expect(result.code).toBe(0);
    const ids = JSON.parse(result.stdout);
    expect(ids).toEqual({ agencyId: expect.stringMatching(/^[0-9a-f-]{36}$/), adminUserId: 'oidc-admin-1' });
    expect(result.stderr).toContain('harbour token --user oidc-admin-1');
    agencyId = ids.agencyId;

    const token = await run('token', '--user', 'oidc-admin-1');
    expect(token.code).toBe(0);
    expect(JSON.parse(token.stdout)).toMatchObject({ agency_id: agencyId, roles: ['network-admin', 'agency-admin'] });

    const again = await run(...BOOTSTRAP);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toMatch(/already bootstrapped/);
  });

  it("import of the standard's example refuses its service: the taxonomy term is none of our needs", async () => {
    const result = await run('directory', 'import', EXAMPLE, '--agency', agencyId);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      listed: 0,
      alreadyListed: 0,
      refused: [{ field: '/services/0/attributes', problem: expect.stringMatching(/no Harbour need category/) }],
      warnings: expect.arrayContaining([
        '/services/0/attributes/0: not a Harbour need category or service property; ignored',
      ]),
      services: [],
    });
    expect(await listed(agencyId)).toEqual([]);
  });

  it('import refuses a service the API would refuse too (here: no region), naming its path', async () => {
    const result = await run(
      'directory',
      'import',
      await file('no-region.json', await counselling({ region: false })),
      '--agency',
      agencyId,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      listed: 0,
      refused: [
        {
          field: '/services/0',
          problem: expect.stringMatching(/listing rules \(regions: regions must contain at least 1 elements\)/),
        },
      ],
    });
    expect(await listed(agencyId)).toEqual([]);
  });

  it('import lists a service with a recognised need, recorded as the import system user', async () => {
    const path = await file('counselling.json', await counselling());
    const result = await run('directory', 'import', path, '--agency', agencyId);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ listed: 1, alreadyListed: 0, refused: [] });
    const events = await listed(agencyId);
    expect(events).toHaveLength(1);
    expect(summary.services).toEqual([
      {
        path: '/services/0',
        hsdsId: (await example()).services[0].id,
        serviceId: events[0].stream_id.slice('service-'.length),
        outcome: 'listed',
      },
    ]);
    expect(events[0].actor).toBe('system:directory-import');
    expect(events[0].data.details).toMatchObject({
      name: 'Community Counselling',
      needs: ['counselling'],
      regions: ['on-toronto'],
      addressConfidential: false,
    });
  });

  it('re-importing the same document lists nothing new and answers with the first result', async () => {
    const before = await listed(agencyId);
    const result = await run('directory', 'import', join(dir, 'counselling.json'), '--agency', agencyId);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ listed: 0, alreadyListed: 1, refused: [] });
    expect(summary.services[0]).toMatchObject({
      serviceId: before[0].stream_id.slice('service-'.length),
      outcome: 'alreadyListed',
    });
    expect(await listed(agencyId)).toEqual(before);

    // Same HSDS service, other details: not listed twice either, and the operator is told why.
    const changed = await counselling();
    changed.services[0].description = 'Changed since the first import';
    const again = JSON.parse(
      (await run('directory', 'import', await file('changed.json', changed), '--agency', agencyId)).stdout,
    );
    expect(again).toMatchObject({
      listed: 0,
      alreadyListed: 0,
      refused: [
        {
          field: '/services/0',
          problem: expect.stringContaining(
            `imported into this agency before with other details (service ${summary.services[0].serviceId})`,
          ),
        },
      ],
    });
    expect(await listed(agencyId)).toEqual(before);
  });

  it('an invalid document exits 1 naming the JSON path, never the value', async () => {
    const doc = await counselling();
    doc.services[0].service_at_locations[0].location.addresses[0].postal_code = 987654321;
    const result = await run('directory', 'import', await file('invalid.json', doc), '--agency', agencyId);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain(
      '/services/0/service_at_locations/0/location/addresses/0/postal_code: must be string',
    );
    expect(result.stderr).not.toContain('987654321');
  });

  it('import refuses a paged list, an unknown agency and an agency that is not active', async () => {
    const list = await run(
      'directory',
      'import',
      fileURLToPath(new URL('../fixtures/hsds/organization_list.json', import.meta.url)),
      '--agency',
      agencyId,
    );
    expect(list).toMatchObject({ code: 1, stdout: '' });
    expect(list.stderr).toMatch(/paged list/);

    const path = join(dir, 'counselling.json');
    const notAnId = await run('directory', 'import', path, '--agency', 'secretariat');
    expect(notAnId).toMatchObject({ code: 1, stdout: '' });
    expect(notAnId.stderr).toMatch(/--agency must be an agency id \(a UUID\)/);
    const nobody = newId();
    const unknown = await run('directory', 'import', path, '--agency', nobody);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain(`no agency has id "${nobody}"`);

    // A second agency, applying: no command creates one, so append it as the API would.
    const repository = (await context()).get(AggregateRepository);
    secondAgencyId = newId();
    const asAdmin = { actor: { userId: 'oidc-admin-1', agencyId, role: 'network-admin' } };
    await repository.execute({
      streamId: agencyStream(secondAgencyId),
      decider: agencyDecider,
      command: {
        type: 'ApplyForMembership',
        agencyId: secondAgencyId,
        name: 'Second Agency',
        sector: 'shelter',
        regions: ['on-toronto'],
        contact: { name: 'C', email: 'c@example.org' },
        requestedTier: 'core',
      },
      context: asAdmin,
    });
    const applicant = await run('directory', 'import', path, '--agency', secondAgencyId);
    expect(applicant).toMatchObject({ code: 1, stdout: '' });
    expect(applicant.stderr).toMatch(/is applicant; only active agencies list services/);
    await repository.execute({
      streamId: agencyStream(secondAgencyId),
      decider: agencyDecider,
      command: { type: 'AdmitByNetworkAdmin', activeCoreAgencies: 1 },
      context: asAdmin,
    });
  });

  it('export writes valid HSDS with the imported service; importing it into another agency gives the same details', async () => {
    const result = await run('directory', 'export', '--agency', agencyId);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(validateHsds('organization', doc)).toEqual([]);
    expect(doc).toMatchObject({
      id: agencyId,
      name: 'Network Secretariat',
      services: [{ name: 'Community Counselling' }],
    });

    const out = join(dir, 'export.json');
    const written = await run('directory', 'export', '--agency', agencyId, '--out', out);
    expect(written.code).toBe(0);
    expect(JSON.parse(written.stdout)).toEqual({ agencyId, services: 1, out });
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(doc); // same ids every time

    const imported = await run('directory', 'import', out, '--agency', secondAgencyId);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ listed: 1, refused: [] });
    const [original] = await listed(agencyId);
    const [copy] = await listed(secondAgencyId);
    // Everything HSDS carries: name, description, needs, languages, regions, eligibility, hours,
    // referrals, response window, address (addressConfidential is false on both sides).
    expect(copy.data.details).toEqual(original.data.details);
  });

  it('export never includes a confidential address', async () => {
    const principal = {
      userId: 'oidc-admin-1',
      agencyId,
      roles: ['agency-admin'],
      agencyStatus: 'active' as const,
      agencyTier: 'core' as const,
    };
    const details: ServiceDetails = {
      name: 'Safe House',
      description: 'Emergency shelter',
      needs: ['shelter'],
      languages: ['en'],
      regions: ['on-toronto'],
      eligibility: { gender: 'women', minAge: 18, maxAge: null },
      hours: [],
      acceptingReferrals: true,
      responseWindowHours: 24,
      address: { street: '17 Hidden Lane', city: 'Toronto', region: 'ON', postalCode: 'M5V 0A1', country: 'CA' },
      addressConfidential: true,
    };
    await (
      await context()
    )
      .get(CommandBus)
      .execute(
        new ChangeService(
          { principal, requestId: null, idempotencyKey: null, ifMatch: null },
          { type: 'list', details },
        ),
      );

    const result = await run('directory', 'export', '--agency', agencyId);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(validateHsds('organization', doc)).toEqual([]);
    const shelter = doc.services.find((s: { name: string }) => s.name === 'Safe House');
    expect(shelter).toBeDefined();
    expect(shelter.service_at_locations).toBeUndefined();
    for (const text of ['17 Hidden Lane', 'M5V 0A1']) expect(result.stdout).not.toContain(text);
    expect(result.stderr).toMatch(/1 service\(s\) with a confidential address exported without a location/);
  });

  it('export of an unknown agency exits 1', async () => {
    const nobody = newId();
    const result = await run('directory', 'export', '--agency', nobody);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain(`no agency has id "${nobody}"`);
    expect(await run('directory', 'export', '--agency', 'secretariat')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/--agency must be an agency id/),
    });
  });
});
