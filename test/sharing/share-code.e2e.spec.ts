import type request from 'supertest';
import { DataSource } from 'typeorm';
import { EventStore } from '@harbour/event-store';
import type { FixedClock } from '@harbour/kernel';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';
import { INTAKE, MARKER } from '../referrals/fixtures.js';

/** Synthetic intake content (the referral tests' shapes); the marker must never leave through a refusal. */
const SECTIONS = { identity: INTAKE.identity, needs: INTAKE.needs, preferences: INTAKE.preferences };

describe('share codes over HTTP: issue at one agency, open at another, single use, expiry, revocation, exclusions, brute force', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let net: TestNetwork;
  let clock: FixedClock;
  const ids: Record<string, string> = {};
  const issuedCodes: string[] = [];
  const auth = (userId: string) => net.auth(userId);

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        HARBOUR_SHARE_CODE_FAILURES_PER_WORKER: '3',
        HARBOUR_SHARE_CODE_FAILURES_PER_AGENCY: '5',
        HARBOUR_SHARE_CODE_WINDOW_MINUTES: '15',
      },
    });
    clock = t.clock as FixedClock;
    net = await buildNetwork(t, { name: 'Synthetic Care Network', sector: 'victim-services' });
    http = net.http;
    ids.care = net.secretariat;
    ids.shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(ids.shelter);
    await net.staff(ids.shelter, 'shelter-admin', ['agency-admin']);
    for (const [key, name, sector] of [
      ['legal', 'Synthetic Legal Aid', 'legal'],
      ['police', 'Synthetic Police Service', 'law-enforcement'],
      ['health', 'Synthetic Clinic', 'health'],
    ]) {
      ids[key] = await net.apply(name, sector);
      await net.endorse(ids[key], ['admin', 'shelter-admin']);
    }
    ids.applicant = await net.apply('Synthetic Applicant', 'housing');
    await net.staff(ids.care, 'ana', ['caseworker']);
    await net.staff(ids.care, 'cpo', ['privacy-officer']);
    await net.staff(ids.legal, 'lee', ['caseworker']);
    await net.staff(ids.legal, 'lex', ['caseworker']);
    await net.staff(ids.legal, 'lia', ['privacy-officer']);
    await net.staff(ids.police, 'pete', ['caseworker']);
    await net.staff(ids.health, 'hana', ['caseworker']);
    await net.staff(ids.health, 'hugo', ['caseworker']);
    await net.staff(ids.health, 'hal', ['supervisor']);
    await net.staff(ids.health, 'hpo', ['privacy-officer']);
    await net.staff(ids.applicant, 'abe', ['caseworker']);
  });
  afterAll(() => t.close());

  const survivor = async () => {
    const id = (
      await http
        .post('/v1/intakes')
        .set('Authorization', await auth('ana'))
        .expect(201)
    ).body.survivorId as string;
    for (const [section, content] of Object.entries(SECTIONS))
      await http
        .put(`/v1/intakes/${id}/sections/${section}`)
        .set('Authorization', await auth('ana'))
        .send({ content })
        .expect(200);
    return id;
  };
  const issue = async (survivorId: string, body: Record<string, unknown> = {}, by = 'ana') => {
    const res = await http
      .post(`/v1/intakes/${survivorId}/share-codes`)
      .set('Authorization', await auth(by))
      .send({ language: 'tl', ...body });
    if (res.status === 201) issuedCodes.push(res.body.code);
    return res;
  };
  const redeem = async (code: string, by: string) =>
    http
      .post('/v1/share-codes/redemption')
      .set('Authorization', await auth(by))
      .send({ code });
  const read = async (survivorId: string, by: string) =>
    http.get(`/v1/intakes/${survivorId}?purpose=care-coordination`).set('Authorization', await auth(by));
  const stream = async (id: string) =>
    (await t.app.get(EventStore).readStream(id)).map((e) => ({ type: e.type, data: e.data as any }));

  it('issued at the care agency, opened at legal aid with the survivor: consent recorded, worker joins, the record opens in scope', async () => {
    const s = await survivor();
    const issued = await issue(s);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ survivorId: s, status: 'issued', version: 0 });
    expect(issued.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(issued.body.expiresAt).toBe('2027-01-31T09:00:00.000Z'); // 90 days

    // Before the code, legal aid cannot tell the record exists.
    expect((await read(s, 'lee')).body).toMatchObject({ status: 404, code: 'intake-not-found' });

    // Typed as a survivor might read it out: lower case, spaces instead of dashes.
    const typed = issued.body.code.toLowerCase().replace(/-/g, ' ');
    const used = await redeem(typed, 'lee');
    expect(used.status).toBe(200);
    expect(used.body).toMatchObject({ survivorId: s, codeId: issued.body.codeId, status: 'redeemed' });

    const consents = await stream(`consent-${s}`);
    expect(consents).toContainEqual({
      type: 'ConsentRecorded',
      data: expect.objectContaining({
        consentId: used.body.consentId,
        recipient: { kind: 'agency', agencyId: ids.legal },
        sections: ['needs', 'preferences'],
        purposes: ['care-coordination'],
        method: 'share-code',
        language: 'tl',
        recordedBy: { userId: 'lee', agencyId: ids.legal },
        shareCodeId: issued.body.codeId,
      }),
    });
    expect(await stream(`intake-${s}`)).toContainEqual({
      type: 'ShareCodeMemberJoined',
      data: { codeId: issued.body.codeId, userId: 'lee', agencyId: ids.legal, consentId: used.body.consentId },
    });

    // The record opens at once through the normal audited read, for the code's sections only.
    const record = await read(s, 'lee');
    expect(record.status).toBe(200);
    expect(Object.keys(record.body.sections).sort()).toEqual(['needs', 'preferences']);
    expect(record.body.withheld).toContainEqual({ section: 'identity', reason: 'section-not-consented' });
    const trail = (await stream(`access-${s}`)).map((e) => e.data);
    expect(trail.at(-1)).toMatchObject({
      actor: { userId: 'lee', agencyId: ids.legal },
      outcome: 'partial',
      basis: expect.arrayContaining([expect.objectContaining({ kind: 'consent', consentId: used.body.consentId })]),
    });

    // Single use: the same code again is simply not valid.
    expect((await redeem(issued.body.code, 'lex')).body).toMatchObject({ status: 400, code: 'share-code-not-valid' });

    // The care team sees when and where it was used, never the code.
    await eventually(async () => {
      const list = await http
        .get(`/v1/intakes/${s}/share-codes`)
        .set('Authorization', await auth('ana'))
        .expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({
          codeId: issued.body.codeId,
          status: 'redeemed',
          redeemed: expect.objectContaining({ agencyId: ids.legal, agencyName: 'Synthetic Legal Aid', userId: 'lee' }),
        }),
      ]);
      expect(JSON.stringify(list.body)).not.toContain(issued.body.code);
    });

    // The issuing agency's privacy officer sees the use; legal aid's privacy officer does not see the care agency's codes.
    const officer = await http
      .get('/v1/audit/share-codes')
      .set('Authorization', await auth('cpo'))
      .expect(200);
    expect(officer.body.items[0]).toMatchObject({
      codeId: issued.body.codeId,
      survivorId: s,
      issuedBy: { userId: 'ana', agencyId: ids.care },
      redeemed: { agencyId: ids.legal, agencyName: 'Synthetic Legal Aid', userId: 'lee' },
    });
    const other = await http
      .get('/v1/audit/share-codes')
      .set('Authorization', await auth('lia'))
      .expect(200);
    expect(other.body.items).toEqual([]);
    expect((await stream(`access-${s}`)).map((e) => e.data)).toContainEqual(
      expect.objectContaining({ view: 'share-code-uses', route: 'GET /v1/audit/share-codes' }),
    );

    // The survivor's disclosure report says where their code was used.
    await eventually(async () => {
      const report = await http
        .get(`/v1/audit/survivors/${s}/disclosures`)
        .set('Authorization', await auth('ana'))
        .expect(200);
      expect(report.body.shareCodes).toEqual([
        expect.objectContaining({
          agencyId: ids.legal,
          agencyName: 'Synthetic Legal Aid',
          sections: ['needs', 'preferences'],
        }),
      ]);
      expect(report.body.shareCodes[0].sentence).toContain('you used your share code at Synthetic Legal Aid');
      expect(report.body.agencies.map((a: { agencyName: string }) => a.agencyName)).toContain('Synthetic Legal Aid');
    });
  });

  it('issuing is for the care team only, in a service scope, and the issuing agency cannot redeem its own code', async () => {
    const s = await survivor();
    expect((await issue(s, {}, 'lee')).body).toMatchObject({ status: 404, code: 'intake-not-found' });
    const bad = await issue(s, { purposes: ['investigation'], validDays: 400 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['purposes', 'validDays']);
    const { body } = await issue(s, { sections: ['needs'], purposes: ['referral', 'care-coordination'], validDays: 7 });
    expect(body.expiresAt).toBe('2026-11-09T09:00:00.000Z');
    expect((await redeem(body.code, 'ana')).body).toMatchObject({ status: 409, code: 'already-on-care-team' });
    // An applicant agency has no case access at all.
    expect((await redeem(body.code, 'abe')).status).toBe(403);
  });

  it("the answer carries a card to print in the survivor's language: the code, what it opens, until when, and no agency", async () => {
    const s = await survivor();
    const fr = await issue(s, { language: 'fr-CA', sections: ['needs', 'preferences'], validDays: 30 });
    expect(fr.status).toBe(201);
    expect(fr.body.card.language).toBe('fr');
    const html = fr.body.card.html as string;
    expect(html).toContain(fr.body.code);
    expect(html).toContain('Votre code de partage');
    expect(html).toContain('Ce pour quoi vous avez besoin d&#39;aide'); // the needs section, in French (escaped)
    expect(html).toContain('2 décembre 2026'); // valid until: 30 days after 2 November
    expect(html).not.toMatch(/<script|<img|<link|https?:/i);
    expect(html).not.toMatch(/Synthetic|Shelter|Legal Aid/); // no agency named on a card that can be lost
    // A language Harbour has no words for: the card is in English, and says so.
    const tl = await issue(s, {});
    expect(tl.body.card).toMatchObject({ language: 'en', html: expect.stringContaining('Your share code') });
  });

  it('a redemption retried under its Idempotency-Key answers as the first did, once redeemed', async () => {
    const s = await survivor();
    const [first, second] = [(await issue(s)).body, (await issue(s)).body];
    const redeemWith = async (code: string, key: string) =>
      http
        .post('/v1/share-codes/redemption')
        .set('Authorization', await auth('hana'))
        .set('Idempotency-Key', key)
        .send({ code });
    const done = await redeemWith(first.code, `redeem-${s}`);
    expect(done.status).toBe(200);
    const again = await redeemWith(first.code, `redeem-${s}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(done.body);
    // Without the key the code is used; with the key and another code, the key is refused.
    expect((await redeem(first.code, 'hana')).body).toMatchObject({ status: 400, code: 'share-code-not-valid' });
    expect((await redeemWith(second.code, `redeem-${s}`)).body).toMatchObject({
      status: 400,
      code: 'idempotency-key-reused',
    });
    const events = await stream(`share-code-${first.codeId}`);
    expect(events.filter((e) => e.type === 'ShareCodeRedeemed')).toHaveLength(1);
  });

  it('an Idempotency-Key repeats the issue without the code again, and is refused for a different request', async () => {
    const s = await survivor();
    const send = async (body: Record<string, unknown>) =>
      http
        .post(`/v1/intakes/${s}/share-codes`)
        .set('Authorization', await auth('ana'))
        .set('Idempotency-Key', `issue-${s}`)
        .send(body);
    const first = await send({ language: 'tl', validDays: 30 });
    expect(first.status).toBe(201);
    issuedCodes.push(first.body.code);
    const again = await send({ language: 'tl', validDays: 30 });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ codeId: first.body.codeId, status: 'issued', code: null, card: null });
    // The same key on another route or body is someone else's request, not a repeat.
    expect((await send({ language: 'tl', validDays: 7 })).body).toMatchObject({
      status: 400,
      code: 'idempotency-key-reused',
    });
    await http
      .post('/v1/intakes')
      .set('Authorization', await auth('ana'))
      .set('Idempotency-Key', 'shared-key-1')
      .expect(201);
    const other = await http
      .post(`/v1/intakes/${s}/share-codes`)
      .set('Authorization', await auth('ana'))
      .set('Idempotency-Key', 'shared-key-1')
      .send({ language: 'tl' });
    expect(other.body).toMatchObject({ status: 400, code: 'idempotency-key-reused' });
  });

  it("exclusions win: the survivor's excluded sector and staff member are refused, recorded, and the code stays usable", async () => {
    const s = await survivor();
    for (const target of [
      { kind: 'sector', sector: 'law-enforcement' },
      { kind: 'staff', userId: 'lex' },
    ])
      await http
        .post(`/v1/intakes/${s}/exclusions`)
        .set('Authorization', await auth('ana'))
        .send({ target, method: 'verbal', language: 'tl' })
        .expect(201);
    const { body } = await issue(s);
    const police = await redeem(body.code, 'pete');
    expect(police.body).toMatchObject({ status: 403, code: 'share-code-excluded' });
    expect(JSON.stringify(police.body)).not.toContain(MARKER);
    expect((await redeem(body.code, 'lex')).body).toMatchObject({ status: 403, code: 'share-code-excluded' });
    const trail = (await stream(`access-${s}`)).map((e) => e.data);
    expect(trail.filter((e) => e.route === 'POST /v1/share-codes/redemption')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ userId: 'pete' }), outcome: 'denied' }),
      expect.objectContaining({ actor: expect.objectContaining({ userId: 'lex' }), outcome: 'denied' }),
    ]);
    expect((await stream(`share-code-attempts-${ids.police}`)).map((e) => e.data.reason)).toEqual(['excluded']);
    // Nothing was granted to them; the code still works for the agency the survivor chooses.
    expect((await stream(`consent-${s}`)).filter((e) => e.type === 'ConsentRecorded')).toEqual([]);
    expect((await redeem(body.code, 'lee')).status).toBe(200);
    // …and the excluded colleague still reads nothing, though their agency now may.
    expect((await read(s, 'lex')).status).toBe(403);
  });

  it('revoked and expired codes answer exactly as an unknown one', async () => {
    const s = await survivor();
    const revoked = (await issue(s)).body;
    const revocation = await http
      .post(`/v1/intakes/${s}/share-codes/${revoked.codeId}/revocation`)
      .set('Authorization', await auth('ana'))
      .expect(200);
    expect(revocation.body).toMatchObject({ codeId: revoked.codeId, status: 'revoked', version: 1 });
    expect(
      (
        await http
          .post(`/v1/intakes/${s}/share-codes/${revoked.codeId}/revocation`)
          .set('Authorization', await auth('ana'))
      ).body,
    ).toMatchObject({ status: 409, code: 'share-code-not-revocable' });
    const short = (await issue(s, { validDays: 1 })).body;
    clock.advance(86_400_000);
    const answers = await Promise.all([
      redeem(revoked.code, 'lee'),
      redeem(short.code, 'lex'),
      redeem('0000-0000-0000-0000', 'lee'),
    ]);
    const shape = (r: request.Response) => ({ status: r.status, code: r.body.code, detail: r.body.detail });
    expect(answers.map(shape)).toEqual(Array(3).fill(shape(answers[2])));
    expect(answers[2].body).toMatchObject({ status: 400, code: 'share-code-not-valid' });
    const reasons = (await stream(`share-code-attempts-${ids.legal}`))
      .filter((e) => e.type === 'ShareCodeAttemptFailed')
      .map((e) => e.data.reason);
    expect(reasons.slice(-3).sort()).toEqual(['expired', 'revoked', 'unknown']);
  });

  it('brute force: a worker, then the whole agency, is locked out with 429 and Retry-After; privacy officers get a flag', async () => {
    const guess = (n: number) => `ZZZZ-ZZZZ-ZZZZ-${String(n).padStart(4, '0')}`;
    for (let i = 0; i < 3; i++) expect((await redeem(guess(i), 'hana')).body.code).toBe('share-code-not-valid');
    const locked = await redeem(guess(3), 'hana');
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'share-code-attempts-locked' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    // Even a real code is not looked at while locked.
    const s = await survivor();
    const real = (await issue(s)).body;
    expect((await redeem(real.code, 'hana')).status).toBe(429);
    // Another worker of the clinic still may try, until the agency's limit.
    expect((await redeem(guess(4), 'hugo')).status).toBe(400);
    expect((await redeem(guess(5), 'hugo')).status).toBe(400);
    const agency = await redeem(real.code, 'hal');
    expect(agency.status).toBe(429);
    const events = await stream(`share-code-attempts-${ids.health}`);
    expect(events.filter((e) => e.type === 'ShareCodeAttemptsLocked').map((e) => e.data.scope)).toEqual([
      'worker',
      'agency',
    ]);
    expect(events.filter((e) => e.data.reason === 'locked')).toHaveLength(3);
    await eventually(async () => {
      const flags = await http
        .get('/v1/audit/flags?status=all')
        .set('Authorization', await auth('hpo'))
        .expect(200);
      expect(flags.body.items.filter((f: { rule: string }) => f.rule === 'share-code-burst')).toHaveLength(2);
    });
    // The window slides: once the failures age out, the survivor's real code works.
    clock.advance(16 * 60_000);
    expect((await redeem(real.code, 'hal')).status).toBe(200);
  });

  it('an erased record cannot be opened by a code', async () => {
    const s = await survivor();
    const { body } = await issue(s);
    const request = await http
      .post(`/v1/intakes/${s}/erasure-requests`)
      .set('Authorization', await auth('ana'))
      .send({ scope: 'record', obtainedHow: 'written' })
      .expect(201);
    await http
      .post(`/v1/intakes/${s}/erasure-requests/${request.body.requestId}/decision`)
      .set('Authorization', await auth('cpo'))
      .send({ decision: 'approve', reason: 'request-verified' })
      .expect(200);
    expect((await redeem(body.code, 'lee')).body).toMatchObject({ status: 410, code: 'record-erased' });
  });

  it('no code is stored anywhere in clear: not in any table, event, idempotency record or read model', async () => {
    expect(issuedCodes.length).toBeGreaterThanOrEqual(5);
    const db = t.app.get(DataSource);
    const tables = await db.query<Array<{ table_name: string }>>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    let dump = '';
    for (const { table_name } of tables) {
      const rows = await db.query<Array<{ row: string }>>(`SELECT t::text AS row FROM "${table_name}" t`);
      dump += rows.map((r) => r.row).join('\n');
    }
    expect(dump.length).toBeGreaterThan(10_000);
    for (const code of issuedCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace(/-/g, ''));
      expect(dump.toLowerCase()).not.toContain(code.replace(/-/g, '').toLowerCase());
    }
  });
});
