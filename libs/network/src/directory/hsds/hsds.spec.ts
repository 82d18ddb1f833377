import { readFileSync } from 'node:fs';
import { DomainError } from '@harbour/kernel';
import { fromHsds, HsdsInvalid, toHsds, validateHsds, type DirectoryService, type HsdsImport } from './index.js';

/** The standard's own example documents, copied unchanged into test/fixtures/hsds. */
const example = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../../../../../test/fixtures/hsds/${name}.json`, import.meta.url), 'utf8'));

const ORG_ID = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';
const SERVICE_ID = 'ac148810-d857-441c-9679-408f346de14b';
const EXAMPLE_ORG = {
  externalId: ORG_ID,
  name: 'Example Organization Inc.',
  description: 'Example Org is a non-profit organization dedicated to providing services to qualified beneficiaries',
  email: 'email@example.com',
  website: 'http://example.com',
};
/** What the example service becomes once its one taxonomy term names a Harbour need. */
const EXAMPLE_SERVICE = {
  externalId: SERVICE_ID,
  name: 'Community Counselling',
  description:
    'Counselling Services provided by trained professionals. Suitable for people with mental health conditions such as anxiety, depression, or eating disorders as well as people experiencing difficult life events and circumstances. ',
  needs: ['counselling'],
  languages: ['ur'], // languages[0].code
  regions: [], // its one service area is named by a sentence, not a region code
  eligibility: { gender: 'any', minAge: 12, maxAge: 100 },
  hours: [
    // byday "TH,FR", opens_at "10:00:00", closes_at "18:00:00"
    { day: 'th', opens: '10:00', closes: '18:00' },
    { day: 'fr', opens: '10:00', closes: '18:00' },
  ],
  acceptingReferrals: true, // status "active"
  responseWindowHours: 72, // HSDS has none: our default
  // service_at_locations[0].location.addresses[0], a postal address (the only one)
  address: {
    street: '1-30 Main Street, MyVillage',
    city: 'MyCity',
    region: 'MyState',
    postalCode: 'ABC 1234',
    country: 'US',
  },
  addressConfidential: false,
};

describe('HSDS 3.0 examples', () => {
  it.each([
    ['organization', 'organization_full'],
    ['service', 'service_full'],
    ['organization_list', 'organization_list'],
    ['service_list', 'service_list'],
  ] as const)('validate as %s (%s.json)', (kind, file) => {
    expect(validateHsds(kind, example(file))).toEqual([]);
  });

  it('refuses the example service: its taxonomy term names none of our needs', () => {
    const result = fromHsds(example('organization_full'));
    expect(result.organization).toEqual(EXAMPLE_ORG);
    expect(result.services).toEqual([]);
    expect(result.refused).toEqual([
      { field: '/services/0/attributes', problem: 'names no Harbour need category; the service cannot be listed' },
    ]);
    expect(result.warnings).toEqual([
      '/services/0/attributes/0: not a Harbour need category or service property; ignored',
    ]);
  });

  it('maps the example organization once its term is a need of ours', () => {
    const doc = example('organization_full');
    doc.services[0].attributes[0].taxonomy_term.code = 'counselling';
    const result = fromHsds(doc);
    expect(result.organization).toEqual(EXAMPLE_ORG);
    expect(result.services).toEqual([EXAMPLE_SERVICE]);
    expect(result.refused).toEqual([]);
    expect(result.warnings).toEqual([
      '/services/0: no response window; defaulted to 72 hours',
      '/services/0/service_areas/0: names no region code; ignored',
    ]);
  });

  it('maps the example service with its nested organization; term names of other taxonomies count', () => {
    const doc = example('service_full');
    doc.attributes[0].taxonomy_term.name = 'Mental Health';
    const result = fromHsds(doc, 'service');
    expect(result.organization).toEqual(EXAMPLE_ORG);
    expect(result.services).toEqual([{ ...EXAMPLE_SERVICE, needs: ['mental-health'] }]);
    expect(result.warnings).toContain('/service_areas/0: names no region code; ignored');
  });

  it('maps each organization of the example list (no services in a list)', () => {
    const list = example('organization_list');
    const results = list.contents.map((org: unknown) => fromHsds(org));
    expect(results).toEqual([{ organization: EXAMPLE_ORG, services: [], refused: [], warnings: [] }]);
  });
});

describe('invalid documents', () => {
  const refusal = (doc: unknown): HsdsInvalid => {
    try {
      fromHsds(doc);
    } catch (error) {
      if (error instanceof HsdsInvalid) return error;
      throw error;
    }
    throw new Error('fromHsds accepted an invalid document');
  };

  it('refuses a wrong type deep inside, with the exact path', () => {
    const doc = example('organization_full');
    doc.services[0].service_at_locations[0].location.addresses[0].postal_code = 1234;
    const error = refusal(doc);
    expect(error).toBeInstanceOf(DomainError);
    expect([error.kind, error.code]).toEqual(['invalid', 'hsds-invalid']);
    expect(error.fields).toEqual([
      { field: '/services/0/service_at_locations/0/location/addresses/0/postal_code', problem: 'must be string' },
    ]);
  });

  it('names a missing required id by its own path', () => {
    const doc = example('organization_full');
    delete doc.services[0].languages[0].id;
    expect(refusal(doc).fields).toEqual([{ field: '/services/0/languages/0/id', problem: 'is required' }]);
  });

  it('never echoes the bad value', () => {
    const doc = example('organization_full');
    doc.services[0].status = 'MARKER-7f3a';
    doc.services[0].schedules[0].id = 'MARKER-91c2';
    const error = refusal(doc);
    expect(error.fields).toEqual([
      { field: '/services/0/status', problem: 'must be equal to one of the allowed values' },
      { field: '/services/0/schedules/0/id', problem: 'must match format "uuid"' },
    ]);
    expect(JSON.stringify({ message: error.message, fields: error.fields, details: error.details })).not.toContain(
      'MARKER',
    );
  });

  it("checks each item of the standard's paged lists", () => {
    const orgs = example('organization_list');
    delete orgs.contents[0].name;
    expect(validateHsds('organization_list', orgs)).toEqual([{ field: '/contents/0/name', problem: 'is required' }]);
    const services = example('service_list');
    services.contents[0].minimum_age = '12';
    services.total_items = 'ten';
    expect(validateHsds('service_list', services)).toEqual([
      { field: '/total_items', problem: 'must be integer' },
      { field: '/contents/0/minimum_age', problem: 'must be number' },
    ]);
  });

  it('refuses an organization that is not an object at all', () => {
    expect(validateHsds('organization', [])).toEqual([{ field: '/', problem: 'must be object' }]);
  });
});

describe('round trip: Harbour → HSDS → Harbour', () => {
  const agency = {
    id: '0b6f1f8e-7d2a-4f7c-9a51-3c2d1e0f9a88',
    name: 'Harbour House',
    description: 'Shelter and support',
    email: 'intake@harbour.example',
    website: 'https://harbour.example',
  };
  const base = {
    description: 'Emergency beds',
    languages: ['en', 'es', 'pt-BR'],
    regions: ['on-toronto', 'on-peel'],
    hours: [
      { day: 'mo', opens: '09:00', closes: '17:00' },
      { day: 'sa', opens: '10:30', closes: '14:00' },
    ],
    acceptingReferrals: true,
    responseWindowHours: 48,
  } as const;
  const open: DirectoryService = {
    ...base,
    id: '6a1e3f0c-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
    name: 'Legal clinic',
    needs: ['legal', 'immigration'],
    languages: [...base.languages],
    regions: [...base.regions],
    hours: [...base.hours],
    eligibility: { gender: 'any', minAge: 16, maxAge: null },
    address: { street: '12 Front Street West', city: 'Toronto', region: 'ON', postalCode: 'M5J 2N1', country: 'CA' },
    addressConfidential: false,
  };
  const shelter: DirectoryService = {
    ...base,
    id: '7b2f4a1d-3c5e-4f60-9bac-1d2e3f4a5b6c',
    name: 'Safe house',
    needs: ['shelter', 'safety-planning', 'peer-support'],
    languages: ['en'],
    regions: ['on-toronto'],
    hours: [],
    eligibility: { gender: 'women', minAge: 18, maxAge: 64 },
    acceptingReferrals: false,
    responseWindowHours: 4,
    address: {
      street: 'Zzmarker Hideaway Lane 4242',
      city: 'Toronto',
      region: 'ON',
      postalCode: 'M4X 9Z9',
      country: 'CA',
    },
    addressConfidential: true,
  };

  let doc: ReturnType<typeof toHsds>;
  let back: HsdsImport;
  beforeAll(() => {
    doc = toHsds(agency, [open, shelter]);
    back = fromHsds(JSON.parse(JSON.stringify(doc)));
  });

  it('exports a document the standard accepts', () => {
    expect(validateHsds('organization', doc)).toEqual([]);
    expect(back.refused).toEqual([]);
    expect(back.warnings).toEqual([]);
  });

  it('gives back the same organization and ServiceDetails', () => {
    expect(back.organization).toEqual({
      externalId: agency.id,
      name: agency.name,
      description: agency.description,
      email: agency.email,
      website: agency.website,
    });
    const { id: openId, ...openDetails } = open;
    expect(back.services[0]).toEqual({ externalId: openId, ...openDetails });
    // The one thing HSDS cannot carry: a confidential address, which is never exported.
    const { id: shelterId, ...shelterDetails } = shelter;
    expect(back.services[1]).toEqual({
      externalId: shelterId,
      ...shelterDetails,
      address: null,
      addressConfidential: false,
    });
  });

  it('never exports a confidential address', () => {
    const json = JSON.stringify(doc);
    expect(json).not.toContain('Zzmarker');
    expect(json).not.toContain('M4X 9Z9');
    expect(doc.services![1].service_at_locations).toBeUndefined();
    expect(doc.services![0].service_at_locations![0].location!.addresses![0].address_1).toBe('12 Front Street West');
  });

  it('publishes needs as terms of the Harbour taxonomy, and status for referrals', () => {
    const terms = doc.services![1].attributes!.filter((a) => a.link_type === 'need').map((a) => a.taxonomy_term!);
    expect(terms.map((t) => [t.code, t.name, t.term_uri])).toEqual([
      ['shelter', 'Shelter', 'urn:harbour:taxonomy:needs:shelter'],
      ['safety-planning', 'Safety planning', 'urn:harbour:taxonomy:needs:safety-planning'],
      ['peer-support', 'Peer support', 'urn:harbour:taxonomy:needs:peer-support'],
    ]);
    expect(terms[0].taxonomy_detail!.uri).toBe('urn:harbour:taxonomy:needs');
    expect(doc.services!.map((s) => s.status)).toEqual(['active', 'temporarily closed']);
    expect(doc.services![1].eligibility_description).toBe('Women, aged 18 to 64.');
  });

  it('exports the same ids every time', () => {
    expect(toHsds(agency, [open, shelter])).toEqual(doc);
  });

  it('throws when it would export something HSDS rejects', () => {
    expect(() => toHsds({ ...agency, website: 'harbour dot example' }, [open])).toThrow(
      '/website must match format "uri"',
    );
  });
});
