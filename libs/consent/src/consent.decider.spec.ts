import { fold, given, type DecisionContext } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import type { ConsentCommand } from './consent.commands.js';
import { consentDecider } from './consent.decider.js';
import type { ConsentEvent, ExclusionTarget } from './consent.events.js';

// --- fixtures: fixed time, synthetic agencies and workers ---------------------------------------

const NOW = '2025-03-01T12:00:00.000Z';
const LATER = '2025-04-01T09:00:00.000Z';
const [CARE, OTHER, SHELTER] = ['agency-care', 'agency-other', 'agency-shelter'];
const TEAM = [CARE];

const caseworkerOf = (agencyId: string): Actor => ({ userId: `user-cw-${agencyId}`, agencyId, role: 'caseworker' });
const worker = caseworkerOf(CARE);
const by = { userId: worker.userId, agencyId: CARE };
const at = (iso: string, actor: Actor = worker): DecisionContext => ({ now: new Date(iso), actor });
const ctx = (actor: Actor = worker) => at(NOW, actor);

type RecordCmd = Extract<ConsentCommand, { type: 'RecordConsent' }>;
const recordConsent = (over: Partial<RecordCmd> = {}): ConsentCommand => ({
  type: 'RecordConsent',
  careTeamAgencyIds: TEAM,
  consentId: 'consent-1',
  recipient: { kind: 'agency', agencyId: SHELTER },
  sections: ['needs', 'preferences'],
  purposes: ['referral'],
  method: 'verbal',
  language: 'es',
  ...over,
});

/** consent-1 as recorded at NOW with the defaults: valid from NOW for 12 months. */
const recorded: ConsentEvent = {
  type: 'ConsentRecorded',
  data: {
    consentId: 'consent-1',
    version: 1,
    recipient: { kind: 'agency', agencyId: SHELTER },
    sections: ['needs', 'preferences'],
    purposes: ['referral'],
    validFrom: NOW,
    validUntil: '2026-03-01T12:00:00.000Z',
    method: 'verbal',
    language: 'es',
    recordedBy: by,
    recordedAt: NOW,
  },
};
const revoked: ConsentEvent = {
  type: 'ConsentRevoked',
  data: { consentId: 'consent-1', version: 1, method: 'verbal', revokedBy: by, revokedAt: NOW },
};

const scenario = (...history: ConsentEvent[]) => given(consentDecider, history);

// --- recording ---------------------------------------------------------------------------------

describe('recording a consent', () => {
  it('records it as version 1, valid from now for 12 months by default', () => {
    scenario().when(recordConsent(), ctx()).then([recorded]);
  });

  it('keeps a given window, and puts sections and purposes in canonical order, each once', () => {
    scenario()
      .when(
        recordConsent({
          recipient: { kind: 'sector', sector: 'health' },
          sections: ['preferences', 'needs', 'preferences'],
          purposes: ['safety-planning', 'referral'],
          validFrom: '2025-03-10T00:00:00Z',
          validUntil: '2025-06-10T00:00:00Z',
          method: 'written',
        }),
        ctx(),
      )
      .then([
        {
          type: 'ConsentRecorded',
          data: {
            ...(recorded.data as object),
            recipient: { kind: 'sector', sector: 'health' },
            sections: ['needs', 'preferences'],
            purposes: ['referral', 'safety-planning'],
            validFrom: '2025-03-10T00:00:00.000Z',
            validUntil: '2025-06-10T00:00:00.000Z',
            method: 'written',
          },
        } as ConsentEvent,
      ]);
  });

  it('defaults the expiry to 12 months after a given start', () => {
    const [event] = scenario()
      .when(recordConsent({ validFrom: '2025-05-01T00:00:00.000Z' }), ctx())
      .then([
        {
          type: 'ConsentRecorded',
          data: {
            ...(recorded.data as object),
            validFrom: '2025-05-01T00:00:00.000Z',
            validUntil: '2026-05-01T00:00:00.000Z',
          },
        } as ConsentEvent,
      ]);
    expect(event.type).toBe('ConsentRecorded');
  });

  it('records investigation only when it is listed, like any other purpose', () => {
    scenario()
      .when(recordConsent({ purposes: ['investigation'] }), ctx())
      .then([
        {
          type: 'ConsentRecorded',
          data: { ...(recorded.data as object), purposes: ['investigation'] },
        } as ConsentEvent,
      ]);
  });

  it('is refused for a worker whose agency is not on the care team', () => {
    scenario()
      .when(recordConsent(), ctx(caseworkerOf(OTHER)))
      .thenThrows('not-on-care-team', 'forbidden');
  });

  it('is refused for staff who are not caseworkers or supervisors, even on the care team', () => {
    for (const role of ['analyst', 'privacy-officer', 'agency-admin', 'network-admin']) {
      scenario()
        .when(recordConsent(), ctx({ ...worker, role }))
        .thenThrows('not-a-worker', 'forbidden');
    }
    scenario()
      .when(recordConsent(), ctx({ ...worker, role: 'supervisor' }))
      .then([{ ...recorded }]);
  });

  it('is refused for an actor with no agency', () => {
    scenario()
      .when(recordConsent(), ctx({ userId: 'user-x', agencyId: null, role: 'caseworker' }))
      .thenThrows('not-on-care-team', 'forbidden');
  });

  it.each<[string, Partial<RecordCmd>, string[]]>([
    ['empty sections', { sections: [] }, ['sections']],
    ['empty purposes', { purposes: [] }, ['purposes']],
    ['an unknown section', { sections: ['needs', 'diary' as never] }, ['sections.1']],
    ['an unknown purpose ("all" is not a purpose)', { purposes: ['all' as never] }, ['purposes.0']],
    ['until before from', { validFrom: '2025-05-01T00:00:00Z', validUntil: '2025-04-01T00:00:00Z' }, ['validUntil']],
    ['until equal to from', { validFrom: '2025-05-01T00:00:00Z', validUntil: '2025-05-01T00:00:00Z' }, ['validUntil']],
    ['until before the default start (now)', { validUntil: '2025-02-01T00:00:00Z' }, ['validUntil']],
    ['a back-dated start', { validFrom: '2025-02-01T00:00:00Z' }, ['validFrom']],
    ['a start that is not a date', { validFrom: 'tomorrow' }, ['validFrom']],
    ['a method not allowed', { method: 'implied' as never }, ['method']],
    ['a language that is not a tag', { language: 'Spanish!' }, ['language']],
    ['a recipient agency without id', { recipient: { kind: 'agency', agencyId: ' ' } }, ['recipient']],
    ['an unknown sector', { recipient: { kind: 'sector', sector: 'immigration-enforcement' as never } }, ['recipient']],
    ['a blank consent id', { consentId: '' }, ['consentId']],
  ])('is refused with %s', (_, over, fields) => {
    const error = scenario().when(recordConsent(over), ctx()).thenThrows('invalid-consent', 'invalid');
    expect(error.fields.map((f) => f.field)).toEqual(fields);
  });

  it('names every invalid field at once', () => {
    const error = scenario()
      .when(recordConsent({ sections: [], purposes: [], method: 'fax' as never, language: '' }), ctx())
      .thenThrows('invalid-consent', 'invalid');
    expect(error.fields.map((f) => f.field)).toEqual(['sections', 'purposes', 'method', 'language']);
  });

  it('is refused when the consent id is taken', () => {
    scenario(recorded).when(recordConsent(), ctx()).thenThrows('consent-exists', 'conflict');
  });
});

// --- amending ----------------------------------------------------------------------------------

describe('amending a consent', () => {
  type Amend = Extract<ConsentCommand, { type: 'AmendConsent' }>;
  const amend = (over: Partial<Amend> = {}): ConsentCommand => ({
    type: 'AmendConsent',
    careTeamAgencyIds: TEAM,
    consentId: 'consent-1',
    method: 'written',
    language: 'es',
    ...over,
  });
  const amended = (over: object): ConsentEvent => ({
    type: 'ConsentAmended',
    data: {
      consentId: 'consent-1',
      version: 2,
      sections: ['needs', 'preferences'],
      purposes: ['referral'],
      validFrom: NOW,
      validUntil: '2026-03-01T12:00:00.000Z',
      method: 'written',
      language: 'es',
      recordedBy: by,
      recordedAt: LATER,
      ...over,
    },
  });

  it('narrows the sections as version 2, keeping the other terms', () => {
    scenario(recorded)
      .when(amend({ sections: ['needs'] }), at(LATER))
      .then([amended({ sections: ['needs'] })]);
  });

  it('changes the expiry as version 2, keeping the (past) start', () => {
    scenario(recorded)
      .when(amend({ validUntil: '2025-09-01T00:00:00Z' }), at(LATER))
      .then([amended({ validUntil: '2025-09-01T00:00:00.000Z' })]);
  });

  it('counts versions on: a second amendment is version 3, and the state holds the latest terms', () => {
    const v2 = amended({ sections: ['needs'] });
    const [v3] = scenario(recorded, v2)
      .when(amend({ purposes: ['referral', 'safety-planning'], expectedVersion: 2 }), at(LATER))
      .then([amended({ version: 3, sections: ['needs'], purposes: ['referral', 'safety-planning'] })]);
    expect(fold(consentDecider, [recorded, v2, v3]).consents).toMatchObject([
      {
        consentId: 'consent-1',
        version: 3,
        sections: ['needs'],
        purposes: ['referral', 'safety-planning'],
        status: 'in-force',
        recipient: { kind: 'agency', agencyId: SHELTER },
      },
    ]);
  });

  it('moves the start to a new, later date with a fresh 12-month default expiry', () => {
    scenario(recorded)
      .when(amend({ validFrom: '2025-05-01T00:00:00Z' }), at(LATER))
      .then([amended({ validFrom: '2025-05-01T00:00:00.000Z', validUntil: '2026-05-01T00:00:00.000Z' })]);
  });

  it('may renew an expired consent', () => {
    scenario(recorded)
      .when(amend({ validUntil: '2027-03-01T00:00:00Z' }), at('2026-06-01T00:00:00.000Z'))
      .then([amended({ validUntil: '2027-03-01T00:00:00.000Z', recordedAt: '2026-06-01T00:00:00.000Z' })]);
  });

  it('is refused when nothing changes', () => {
    scenario(recorded)
      .when(amend({ sections: ['preferences', 'needs'] }), at(LATER))
      .thenThrows('nothing-to-amend', 'invalid');
  });

  it('is refused with invalid terms', () => {
    scenario(recorded)
      .when(amend({ sections: [] }), at(LATER))
      .thenThrows('invalid-consent', 'invalid');
    scenario(recorded)
      .when(amend({ validUntil: '2025-01-01T00:00:00Z' }), at(LATER))
      .thenThrows('invalid-consent', 'invalid');
    scenario(recorded)
      .when(amend({ validFrom: '2025-03-15T00:00:00Z' }), at(LATER))
      .thenThrows('invalid-consent', 'invalid'); // back-dated
    scenario(recorded)
      .when(amend({ sections: ['needs'], method: 'nod' as never }), at(LATER))
      .thenThrows('invalid-consent', 'invalid');
  });

  it('is refused at a stale expected version', () => {
    const error = scenario(recorded)
      .when(amend({ sections: ['needs'], expectedVersion: 2 }), at(LATER))
      .thenThrows('consent-version-mismatch', 'conflict');
    expect(error.details).toEqual({ version: 1 });
  });

  it('is refused for a revoked consent', () => {
    scenario(recorded, revoked)
      .when(amend({ sections: ['needs'] }), at(LATER))
      .thenThrows('consent-revoked', 'conflict');
  });

  it('is refused for an unknown consent', () => {
    scenario(recorded)
      .when(amend({ consentId: 'consent-x', sections: ['needs'] }), at(LATER))
      .thenThrows('consent-not-found', 'not-found');
  });

  it('is refused for a worker not on the care team', () => {
    scenario(recorded)
      .when(amend({ sections: ['needs'] }), at(LATER, caseworkerOf(SHELTER)))
      .thenThrows('not-on-care-team', 'forbidden');
  });
});

// --- revoking ----------------------------------------------------------------------------------

describe('revoking a consent', () => {
  const revoke = (over: Partial<Extract<ConsentCommand, { type: 'RevokeConsent' }>> = {}): ConsentCommand => ({
    type: 'RevokeConsent',
    careTeamAgencyIds: TEAM,
    consentId: 'consent-1',
    method: 'verbal',
    ...over,
  });

  it('revokes the version in force', () => {
    const events = scenario(recorded).when(revoke(), ctx()).then([revoked]);
    expect(fold(consentDecider, [recorded, ...events]).consents[0]).toMatchObject({
      status: 'revoked',
      revokedAt: NOW,
      version: 1,
    });
  });

  it('names the amended version it revokes', () => {
    const v2: ConsentEvent = {
      type: 'ConsentAmended',
      data: { ...(recorded.data as object), version: 2, sections: ['needs'], recordedAt: NOW } as Extract<
        ConsentEvent,
        { type: 'ConsentAmended' }
      >['data'],
    };
    scenario(recorded, v2)
      .when(revoke({ method: 'electronic' }), at(LATER))
      .then([
        {
          type: 'ConsentRevoked',
          data: { consentId: 'consent-1', version: 2, method: 'electronic', revokedBy: by, revokedAt: LATER },
        },
      ]);
  });

  it('may revoke before the consent is even in force, or after it expired', () => {
    scenario(recorded)
      .when(revoke(), at('2025-01-01T00:00:00.000Z'))
      .then([
        { ...revoked, data: { ...(revoked.data as object), revokedAt: '2025-01-01T00:00:00.000Z' } } as ConsentEvent,
      ]);
    scenario(recorded)
      .when(revoke(), at('2027-01-01T00:00:00.000Z'))
      .then([
        { ...revoked, data: { ...(revoked.data as object), revokedAt: '2027-01-01T00:00:00.000Z' } } as ConsentEvent,
      ]);
  });

  it('refuses to revoke twice', () => {
    scenario(recorded, revoked).when(revoke(), at(LATER)).thenThrows('consent-already-revoked', 'conflict');
  });

  it('is refused for a worker not on the care team, and for an unknown consent', () => {
    scenario(recorded)
      .when(revoke(), ctx(caseworkerOf(SHELTER)))
      .thenThrows('not-on-care-team', 'forbidden');
    scenario(recorded)
      .when(revoke({ consentId: 'consent-x' }), ctx())
      .thenThrows('consent-not-found', 'not-found');
  });

  it('needs an allowed method', () => {
    scenario(recorded)
      .when(revoke({ method: 'rumour' as never }), ctx())
      .thenThrows('invalid-consent', 'invalid');
  });
});

// --- exclusions --------------------------------------------------------------------------------

describe('exclusions', () => {
  const exclude = (over: Partial<Extract<ConsentCommand, { type: 'RecordExclusion' }>> = {}): ConsentCommand => ({
    type: 'RecordExclusion',
    careTeamAgencyIds: TEAM,
    exclusionId: 'exclusion-1',
    target: { kind: 'sector', sector: 'law-enforcement' },
    method: 'verbal',
    language: 'es',
    ...over,
  });
  const excluded: ConsentEvent = {
    type: 'ExclusionRecorded',
    data: {
      exclusionId: 'exclusion-1',
      target: { kind: 'sector', sector: 'law-enforcement' },
      method: 'verbal',
      language: 'es',
      recordedBy: by,
      recordedAt: NOW,
    },
  };
  const liftCmd: ConsentCommand = {
    type: 'LiftExclusion',
    careTeamAgencyIds: TEAM,
    exclusionId: 'exclusion-1',
    method: 'written',
  };
  const lifted: ConsentEvent = {
    type: 'ExclusionLifted',
    data: { exclusionId: 'exclusion-1', method: 'written', liftedBy: by, liftedAt: LATER },
  };

  it('records an exclusion of a sector, an agency or a staff member', () => {
    scenario().when(exclude(), ctx()).then([excluded]);
    scenario()
      .when(exclude({ target: { kind: 'agency', agencyId: OTHER } }), ctx())
      .then([
        {
          type: 'ExclusionRecorded',
          data: { ...(excluded.data as object), target: { kind: 'agency', agencyId: OTHER } },
        } as ConsentEvent,
      ]);
    scenario()
      .when(exclude({ target: { kind: 'staff', userId: 'user-7' } }), ctx())
      .then([
        {
          type: 'ExclusionRecorded',
          data: { ...(excluded.data as object), target: { kind: 'staff', userId: 'user-7' } },
        } as ConsentEvent,
      ]);
  });

  it('may exclude an agency of the care team itself', () => {
    scenario()
      .when(exclude({ target: { kind: 'agency', agencyId: CARE } }), ctx())
      .then([
        {
          type: 'ExclusionRecorded',
          data: { ...(excluded.data as object), target: { kind: 'agency', agencyId: CARE } },
        } as ConsentEvent,
      ]);
  });

  it('lifts an exclusion once', () => {
    const events = scenario(excluded).when(liftCmd, at(LATER)).then([lifted]);
    expect(fold(consentDecider, [excluded, ...events]).exclusions).toEqual([
      {
        exclusionId: 'exclusion-1',
        target: { kind: 'sector', sector: 'law-enforcement' },
        status: 'lifted',
        recordedAt: NOW,
        liftedAt: LATER,
      },
    ]);
    scenario(excluded, lifted).when(liftCmd, at(LATER)).thenThrows('exclusion-already-lifted', 'conflict');
    scenario().when(liftCmd, at(LATER)).thenThrows('exclusion-not-found', 'not-found');
  });

  it('is for the care team only', () => {
    scenario()
      .when(exclude(), ctx(caseworkerOf(OTHER)))
      .thenThrows('not-on-care-team', 'forbidden');
    scenario(excluded)
      .when(liftCmd, at(LATER, caseworkerOf(OTHER)))
      .thenThrows('not-on-care-team', 'forbidden');
  });

  it('refuses invalid exclusions and a taken id', () => {
    scenario()
      .when(exclude({ target: { kind: 'sector', sector: 'police' as never } }), ctx())
      .thenThrows('invalid-exclusion', 'invalid');
    scenario()
      .when(exclude({ target: { kind: 'staff', userId: '' } }), ctx())
      .thenThrows('invalid-exclusion', 'invalid');
    scenario()
      .when(exclude({ exclusionId: ' ' }), ctx())
      .thenThrows('invalid-exclusion', 'invalid');
    scenario(excluded).when(exclude(), ctx()).thenThrows('exclusion-exists', 'conflict');
  });
});

// --- share codes -------------------------------------------------------------------------------

describe('a consent given by redeeming a share code', () => {
  const legal = caseworkerOf(OTHER);
  const fromCode = (
    over: Partial<Extract<ConsentCommand, { type: 'RecordShareCodeConsent' }>> = {},
  ): ConsentCommand => ({
    type: 'RecordShareCodeConsent',
    consentId: 'consent-9',
    codeId: 'code-1',
    agencyId: OTHER,
    sector: 'legal',
    sections: ['preferences', 'needs'],
    purposes: ['care-coordination'],
    language: 'tl',
    ...over,
  });
  const excluded = (target: ExclusionTarget): ConsentEvent => ({
    type: 'ExclusionRecorded',
    data: { exclusionId: 'x1', target, method: 'verbal', language: 'tl', recordedBy: by, recordedAt: NOW },
  });

  it("permits the redeeming worker's own agency the code's scope, by method share-code, recorded by that worker", () => {
    scenario()
      .when(fromCode(), ctx(legal))
      .then([
        {
          type: 'ConsentRecorded',
          data: {
            consentId: 'consent-9',
            version: 1,
            recipient: { kind: 'agency', agencyId: OTHER },
            sections: ['needs', 'preferences'],
            purposes: ['care-coordination'],
            validFrom: NOW,
            validUntil: '2026-03-01T12:00:00.000Z',
            method: 'share-code',
            language: 'tl',
            recordedBy: { userId: legal.userId, agencyId: OTHER },
            recordedAt: NOW,
            shareCodeId: 'code-1',
          },
        },
      ]);
  });

  it('needs no care-team membership, but a worker of that very agency', () => {
    scenario().when(fromCode(), ctx(worker)).thenThrows('not-a-worker');
    scenario()
      .when(fromCode(), ctx({ ...legal, role: 'privacy-officer' }))
      .thenThrows('not-a-worker');
  });

  it('exclusions win: the worker, their agency or its sector excluded means no consent', () => {
    for (const target of [
      { kind: 'staff', userId: legal.userId },
      { kind: 'agency', agencyId: OTHER },
      { kind: 'sector', sector: 'legal' },
    ] as const)
      scenario(excluded(target)).when(fromCode(), ctx(legal)).thenThrows('share-code-excluded', 'forbidden');
  });
});
