import { ValidationFailed } from '@harbour/kernel';
import { SECTIONS, type Section } from '@harbour/consent';
import { SECTION_DTOS, SECTION_EXAMPLES as EXAMPLES, changedFields, validateSection } from './index.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function failure(section: Section, body: unknown): ValidationFailed {
  const result = validateSection(section, body);
  expect(result).toBeInstanceOf(ValidationFailed);
  return result as ValidationFailed;
}
const fieldsOf = (error: ValidationFailed) => error.fields.map((f) => f.field);

describe('intake section shapes', () => {
  it('has a DTO for every section', () => {
    expect(Object.keys(SECTION_DTOS).sort()).toEqual([...SECTIONS].sort());
  });

  it.each(SECTIONS.map((s) => [s]))('accepts a realistic %s section as plain data', (section) => {
    const result = validateSection(section, clone(EXAMPLES[section]));
    expect(result).not.toBeInstanceOf(ValidationFailed);
    expect(result).toEqual(EXAMPLES[section]);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });

  it('accepts minimal sections where a survivor does not answer', () => {
    expect(validateSection('identity', { preferredName: 'Sam' })).toEqual({ preferredName: 'Sam' });
    expect(validateSection('health', {})).toEqual({});
    expect(validateSection('dependants', { dependants: [] })).toEqual({ dependants: [] });
    expect(
      validateSection('contact', { safeToContact: { phone: false, text: false, email: false, voicemail: false } }),
    ).not.toBeInstanceOf(ValidationFailed);
  });

  it.each<[Section, (body: any) => void, string]>([
    ['safety', (b) => (b.risks[0].kind = 'gossip'), 'content.risks.0.kind'],
    ['safety', (b) => (b.lastReviewed = '2025-02-30'), 'content.lastReviewed'],
    ['safety', (b) => (b.riskLevel = 'HIGH'), 'content.riskLevel'],
    ['identity', (b) => delete b.preferredName, 'content.preferredName'],
    ['identity', (b) => (b.nationality = 'Philippines'), 'content.nationality'],
    ['identity', (b) => (b.identityDocuments[1].heldBy = 'trafficker'), 'content.identityDocuments.1.heldBy'],
    ['identity', (b) => (b.dateOfBirth = '1994-06-01'), 'content.ageBand'],
    ['contact', (b) => (b.safeToContact.voicemail = 'no'), 'content.safeToContact.voicemail'],
    ['contact', (b) => (b.email = 'not-an-email'), 'content.email'],
    ['contact', (b) => delete b.safeToContact, 'content.safeToContact'],
    ['immigration', (b) => (b.deadlines[0].date = '01/08/2025'), 'content.deadlines.0.date'],
    ['legal', (b) => (b.matters[1].role = 'judge'), 'content.matters.1.role'],
    ['housing', (b) => (b.situation = 'castle'), 'content.situation'],
    ['income', (b) => (b.sources[0].amountMonthly = -5), 'content.sources.0.amountMonthly'],
    ['income', (b) => (b.sources = []), 'content.sources'],
    ['dependants', (b) => (b.dependants[0].atRisk = 'true'), 'content.dependants.0.atRisk'],
    ['story', (b) => (b.narrative = 'x'.repeat(20_001)), 'content.narrative'],
    ['story', (b) => (b.language = 'not a language'), 'content.language'],
    ['story', (b) => (b.toldTo = 'staff-7'), 'content.toldTo'],
    ['needs', (b) => (b.needs[0].category = 'jetpack'), 'content.needs.0.category'],
    ['needs', (b) => (b.needs[1].category = 'housing'), 'content.needs'],
    ['needs', (b) => (b.needs = []), 'content.needs'],
    ['preferences', (b) => (b.workerGender = 'robot'), 'content.workerGender'],
    ['preferences', (b) => (b.culturalSupports = ['']), 'content.culturalSupports'],
    ['goals', (b) => (b.goals[0].category = 'lottery'), 'content.goals.0.category'],
    ['goals', (b) => (b.goals[0].progress = 6), 'content.goals.0.progress'],
    ['goals', (b) => (b.goals[0].status = 'failed'), 'content.goals.0.status'],
    ['goals', (b) => (b.goals[0].steps[1].status = 'missed'), 'content.goals.0.steps.1.status'],
    ['goals', (b) => (b.goals[0].helpers[0].role = ''), 'content.goals.0.helpers.0.role'],
    ['goals', (b) => delete b.goals[0].inOwnWords, 'content.goals.0.inOwnWords'],
    ['goals', (b) => b.goals.push(b.goals[0]), 'content.goals'],
  ])('refuses a bad %s value naming the field', (section, spoil, field) => {
    const body = clone(EXAMPLES[section]);
    spoil(body);
    expect(fieldsOf(failure(section, body))).toContain(field);
  });

  it('refuses nested values of the wrong shape', () => {
    expect(fieldsOf(failure('safety', { ...EXAMPLES.safety, risks: ['threats'] }))).toContain('content.risks.0');
    expect(fieldsOf(failure('contact', { ...EXAMPLES.contact, safeToContact: true }))).toContain(
      'content.safeToContact',
    );
    expect(fieldsOf(failure('safety', { ...EXAMPLES.safety, risks: { kind: 'threats' } }))).toContain('content.risks');
  });

  it('refuses content that is not an object', () => {
    for (const body of [null, 'text', 42, [EXAMPLES.housing]]) {
      expect(fieldsOf(failure('housing', body))).toEqual(['content']);
    }
  });

  it('refuses unknown properties by name, at any depth', () => {
    const body: any = clone(EXAMPLES.safety);
    body.traffickerAddress = '12 Example Street';
    body.risks[0].severity = 9;
    const error = failure('safety', body);
    expect(fieldsOf(error)).toEqual(expect.arrayContaining(['content.traffickerAddress', 'content.risks.0.severity']));
    expect(error.fields.find((f) => f.field === 'content.traffickerAddress')?.problem).toMatch(/should not exist/);
    // A key that does not look like a field name may be data in the wrong place: not echoed.
    const odd = failure('housing', { ...EXAMPLES.housing, 'Lives with J. Doe': true });
    expect(odd.fields).toEqual([
      { field: 'content.(unrecognised)', problem: 'property (unrecognised) should not exist' },
    ]);
  });

  it('never echoes submitted values in the error', () => {
    const MARKER = 'SYNTHETIC-MARKER-7f3a9c';
    const bodies: Array<[Section, unknown]> = [
      ['safety', { ...EXAMPLES.safety, riskLevel: MARKER, risks: [{ kind: MARKER }], lastReviewed: MARKER }],
      ['identity', { preferredName: 'x'.repeat(201) + MARKER, nationality: MARKER, extra: MARKER }],
      ['contact', { ...EXAMPLES.contact, email: `${MARKER}@`, phone: MARKER }],
      ['needs', { needs: [{ category: MARKER, urgency: MARKER, notes: MARKER }] }],
      ['story', { ...EXAMPLES.story, toldOn: MARKER, language: MARKER }],
      ['contact', { ...EXAMPLES.contact, [`${MARKER} lives at 12 Example St`]: true }],
      [
        'contact',
        { ...EXAMPLES.contact, safeToContact: MARKER, contactThrough: { name: 'A', phone: MARKER, [MARKER]: 1 } },
      ],
      ['safety', { ...EXAMPLES.safety, risks: [MARKER, { kind: 'other', notes: 42 }] }],
      ['income', { sources: [{ kind: 'other', amountMonthly: MARKER }] }],
    ];
    for (const [section, body] of bodies) {
      const error = failure(section, body);
      expect(error.fields.length).toBeGreaterThan(0);
      const output =
        JSON.stringify({ message: error.message, details: error.details, fields: error.fields }) + String(error.stack);
      expect(output).not.toContain(MARKER);
    }
  });

  it.each([5e-324, -5e-324, 1e-7, 0.001, 0.1 + 0.2, 12.345])(
    'refuses an income of %p as more than 2 decimals, naming the field (5e-324 was a 500 TypeError; found by the fuzz suite)',
    (amountMonthly) => {
      expect(fieldsOf(failure('income', { sources: [{ kind: 'employment', amountMonthly }] }))).toContain(
        'content.sources.0.amountMonthly',
      );
    },
  );

  it.each([0, -0, 12, 733.5, 1234.56, 1_000_000])('accepts an income of %p', (amountMonthly) => {
    expect(validateSection('income', { sources: [{ kind: 'employment', amountMonthly }] })).not.toBeInstanceOf(
      ValidationFailed,
    );
  });

  it('refuses an unknown section', () => {
    expect(fieldsOf(failure('finances' as Section, {}))).toEqual(['section']);
  });
});

describe('changedFields', () => {
  it('names the top-level fields that differ, never their values', () => {
    const before = EXAMPLES.safety;
    const after: Record<string, any> = {
      ...clone(before),
      riskLevel: 'critical',
      safetyPlan: undefined,
      extraNote: 'SECRET',
    };
    after.risks[1].notes = 'now threatening family';
    const changed = changedFields(before, after);
    expect(changed).toEqual(['extraNote', 'riskLevel', 'risks', 'safetyPlan']);
    expect(JSON.stringify(changed)).not.toMatch(/critical|SECRET|threatening/);
  });

  it('ignores key order and undefined-vs-absent', () => {
    const before = { a: 1, b: { x: 1, y: [1, 2] }, c: undefined };
    const after = { b: { y: [1, 2], x: 1 }, a: 1 };
    expect(changedFields(before, after)).toEqual([]);
    expect(changedFields(before, { ...after, b: { x: 1, y: [2, 1] } })).toEqual(['b']);
  });

  it('treats a new section as every field changed', () => {
    expect(changedFields(null, EXAMPLES.housing)).toEqual(['needsBy', 'notes', 'situation']);
  });
});
