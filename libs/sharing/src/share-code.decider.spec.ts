import { given } from '@harbour/event-store';
import type { Actor } from '@harbour/kernel';
import { type ShareCodeCommand, shareCodeDecider } from './share-code.decider.js';
import type { ShareCodeEvent } from './share-code.events.js';

const at = new Date('2026-11-02T09:00:00Z');
const later = (days: number) => new Date(at.getTime() + days * 86_400_000);
const ana: Actor = { userId: 'ana', agencyId: 'care', role: 'caseworker' };
const lee: Actor = { userId: 'lee', agencyId: 'legal', role: 'caseworker' };
const pat: Actor = { userId: 'pat', agencyId: 'care', role: 'privacy-officer' };
const HASH = 'hash-of-the-code';

const issue = (over: Partial<Extract<ShareCodeCommand, { type: 'IssueShareCode' }>> = {}): ShareCodeCommand => ({
  type: 'IssueShareCode',
  codeId: 'c1',
  survivorId: 's1',
  codeHash: HASH,
  sections: ['needs', 'preferences'],
  purposes: ['care-coordination'],
  language: 'tl',
  validDays: 90,
  facts: { onCareTeam: true, erased: false },
  ...over,
});
const issued: ShareCodeEvent = {
  type: 'ShareCodeIssued',
  data: {
    codeId: 'c1',
    survivorId: 's1',
    sections: ['needs', 'preferences'],
    purposes: ['care-coordination'],
    language: 'tl',
    issuedBy: { userId: 'ana', agencyId: 'care' },
    issuedAt: at.toISOString(),
    expiresAt: later(90).toISOString(),
    codeHash: HASH,
  },
};
const facts = { excluded: null, erased: false, related: false };
const redeem = (over: Partial<Extract<ShareCodeCommand, { type: 'RedeemShareCode' }>> = {}): ShareCodeCommand => ({
  type: 'RedeemShareCode',
  codeHash: HASH,
  consentId: 'k1',
  facts,
  ...over,
});
const redeemed = (when: Date): ShareCodeEvent => ({
  type: 'ShareCodeRedeemed',
  data: {
    codeId: 'c1',
    survivorId: 's1',
    agencyId: 'legal',
    userId: 'lee',
    consentId: 'k1',
    sections: ['needs', 'preferences'],
    purposes: ['care-coordination'],
    issuedByAgencyId: 'care',
    redeemedAt: when.toISOString(),
  },
});
const revoked: ShareCodeEvent = {
  type: 'ShareCodeRevoked',
  data: {
    codeId: 'c1',
    survivorId: 's1',
    revokedBy: { userId: 'ana', agencyId: 'care' },
    revokedAt: later(1).toISOString(),
  },
};

describe('share code decider: issue', () => {
  it('a care-team worker issues a code for the sections and purposes listed, expiring after the days given', () => {
    given(shareCodeDecider).when(issue(), { now: at, actor: ana }).then([issued]);
  });

  it('sections come out in canonical order, each once', () => {
    const [event] = given(shareCodeDecider)
      .when(issue({ sections: ['preferences', 'needs'] }), { now: at, actor: ana })
      .then([issued]);
    expect(event.data).toMatchObject({ sections: ['needs', 'preferences'] });
  });

  it('only a worker on the care team issues one, never for an erased record', () => {
    given(shareCodeDecider).when(issue(), { now: at, actor: pat }).thenThrows('not-a-worker', 'forbidden');
    given(shareCodeDecider)
      .when(issue({ facts: { onCareTeam: false, erased: false } }), { now: at, actor: lee })
      .thenThrows('not-on-care-team', 'forbidden');
    given(shareCodeDecider)
      .when(issue({ facts: { onCareTeam: true, erased: true } }), { now: at, actor: ana })
      .thenThrows('record-erased', 'gone');
  });

  it('a code is never for investigation or statistics, lasts 1 to 365 days, and names a language', () => {
    for (const bad of [
      issue({ purposes: ['investigation'] }),
      issue({ purposes: ['care-coordination', 'statistics'] }),
      issue({ validDays: 0 }),
      issue({ validDays: 366 }),
      issue({ sections: [] }),
      issue({ language: 'not a language' }),
    ])
      given(shareCodeDecider).when(bad, { now: at, actor: ana }).thenThrows('invalid-share-code', 'invalid');
  });

  it('the same code twice is refused (the handler draws another)', () => {
    given(shareCodeDecider, [issued]).when(issue(), { now: at, actor: ana }).thenThrows('share-code-exists');
  });
});

describe('share code decider: redeem', () => {
  it('a worker of another agency redeems it once, in the scope it was issued for', () => {
    given(shareCodeDecider, [issued])
      .when(redeem(), { now: later(10), actor: lee })
      .then([redeemed(later(10))]);
  });

  it('single use: a second redemption is not valid', () => {
    given(shareCodeDecider, [issued, redeemed(later(10))])
      .when(redeem({ consentId: 'k2' }), { now: later(11), actor: lee })
      .thenThrows('share-code-not-valid');
  });

  it('expired, revoked, unknown and wrong-hash codes all answer the same', () => {
    given(shareCodeDecider, [issued])
      .when(redeem(), { now: later(90), actor: lee })
      .thenThrows('share-code-not-valid');
    given(shareCodeDecider, [issued, revoked])
      .when(redeem(), { now: later(2), actor: lee })
      .thenThrows('share-code-not-valid');
    given(shareCodeDecider)
      .when(redeem(), { now: later(2), actor: lee })
      .thenThrows('share-code-not-valid');
    given(shareCodeDecider, [issued])
      .when(redeem({ codeHash: 'another' }), { now: later(2), actor: lee })
      .thenThrows('share-code-not-valid');
  });

  it('exclusions win; an erased record is gone; an agency already on the case keeps the code unused', () => {
    for (const excluded of ['staff', 'agency', 'sector'] as const)
      given(shareCodeDecider, [issued])
        .when(redeem({ facts: { ...facts, excluded } }), { now: later(2), actor: lee })
        .thenThrows('share-code-excluded', 'forbidden');
    given(shareCodeDecider, [issued])
      .when(redeem({ facts: { ...facts, erased: true } }), { now: later(2), actor: lee })
      .thenThrows('record-erased', 'gone');
    given(shareCodeDecider, [issued])
      .when(redeem({ facts: { ...facts, related: true } }), { now: later(2), actor: ana })
      .thenThrows('already-on-care-team', 'conflict');
  });

  it('only caseworkers and supervisors redeem', () => {
    given(shareCodeDecider, [issued])
      .when(redeem(), { now: later(2), actor: pat })
      .thenThrows('not-a-worker');
  });
});

describe('share code decider: revoke', () => {
  it('the care team revokes an unused code', () => {
    given(shareCodeDecider, [issued])
      .when({ type: 'RevokeShareCode', facts: { onCareTeam: true } }, { now: later(1), actor: ana })
      .then([revoked]);
  });

  it('a used or revoked code cannot be revoked; an unknown one is not found; outsiders are refused', () => {
    const cmd: ShareCodeCommand = { type: 'RevokeShareCode', facts: { onCareTeam: true } };
    given(shareCodeDecider, [issued, redeemed(later(1))])
      .when(cmd, { now: later(2), actor: ana })
      .thenThrows('share-code-not-revocable', 'conflict');
    given(shareCodeDecider, [issued, revoked])
      .when(cmd, { now: later(2), actor: ana })
      .thenThrows('share-code-not-revocable');
    given(shareCodeDecider)
      .when(cmd, { now: later(2), actor: ana })
      .thenThrows('share-code-not-found', 'not-found');
    given(shareCodeDecider, [issued])
      .when({ type: 'RevokeShareCode', facts: { onCareTeam: false } }, { now: later(2), actor: lee })
      .thenThrows('not-on-care-team');
  });
});
