import type request from 'supertest';
import { DataSource } from 'typeorm';
import { EventStore } from '@harbour/event-store';
import { DUPLICATE_ADVICE } from '@harbour/sharing';
import { startTestApp, type TestApp } from '../support/context.js';
import { buildNetwork, type TestNetwork } from '../support/network.js';
import { eventually } from '../support/store-context.js';

/** Synthetic people: the same one recorded twice (a transliteration, names and day/month swapped), and another. */
const AT_CARE = {
  legalName: 'Mohammed Hassan',
  preferredName: 'Mohammed',
  dateOfBirth: '1990-03-11',
  nationality: 'SY',
};
const AT_LEGAL = { legalName: 'Hasan Muhammad', preferredName: 'Muhammad', dateOfBirth: '1990-11-03' };
const SOMEONE_ELSE = {
  legalName: 'Olena Kovalenko',
  preferredName: 'Olena',
  dateOfBirth: '1996-08-21',
  nationality: 'UA',
};
const RECORD = {
  needs: { needs: [{ category: 'shelter', urgency: 'high', notes: 'record-need-note' }] },
  preferences: { language: 'ar', interpreter: true },
  story: { narrative: 'record-story-text', toldOn: '2026-10-28', language: 'ar' },
};
const OWN_NEEDS = { needs: [{ category: 'legal', urgency: 'medium', notes: 'second-intake-own-note' }] };

describe('possible-duplicate hints without search, and linking the second intake to the record the survivor brought', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let net: TestNetwork;
  const ids: Record<string, string> = {};
  const auth = (userId: string) => net.auth(userId);
  let record: string; // at the care agency
  let second: string; // the same person's new intake at legal aid

  beforeAll(async () => {
    t = await startTestApp();
    net = await buildNetwork(t, { name: 'Synthetic Care Network', sector: 'victim-services' });
    http = net.http;
    ids.care = net.secretariat;
    ids.shelter = await net.apply('Synthetic Shelter', 'shelter');
    await net.admit(ids.shelter);
    await net.staff(ids.shelter, 'shelter-admin', ['agency-admin']);
    for (const [key, name, sector] of [
      ['legal', 'Synthetic Legal Aid', 'legal'],
      ['health', 'Synthetic Clinic', 'health'],
    ]) {
      ids[key] = await net.apply(name, sector);
      await net.endorse(ids[key], ['admin', 'shelter-admin']);
    }
    await net.staff(ids.care, 'ana', ['caseworker']);
    await net.staff(ids.care, 'cpo', ['privacy-officer']);
    await net.staff(ids.legal, 'lee', ['caseworker']);
    await net.staff(ids.legal, 'lia', ['privacy-officer']);
    await net.staff(ids.health, 'hana', ['caseworker']);
  });
  afterAll(() => t.close());

  const open = async (by: string, sections: Record<string, unknown>) => {
    const id = (
      await http
        .post('/v1/intakes')
        .set('Authorization', await auth(by))
        .expect(201)
    ).body.survivorId as string;
    for (const [section, content] of Object.entries(sections))
      await http
        .put(`/v1/intakes/${id}/sections/${section}`)
        .set('Authorization', await auth(by))
        .send({ content })
        .expect(200);
    return id;
  };
  const encoding = async (survivorId: string) => {
    const rows = await t.app
      .get(DataSource)
      .query<Array<{ encoding: Buffer | null; status: string }>>(
        'SELECT encoding, status FROM match_encodings WHERE survivor_id = $1',
        [survivorId],
      );
    return rows[0];
  };
  /** The check, once the projection has encoded `survivorId` (encodings are written asynchronously). */
  const check = async (survivorId: string, by: string) => {
    await eventually(async () => expect(await encoding(survivorId)).toBeDefined());
    return http.get(`/v1/intakes/${survivorId}/duplicate-check`).set('Authorization', await auth(by));
  };
  const stream = async (id: string) =>
    (await t.app.get(EventStore).readStream(id)).map((e) => ({ type: e.type, data: e.data as any }));
  const read = async (survivorId: string, by: string) =>
    http.get(`/v1/intakes/${survivorId}?purpose=care-coordination`).set('Authorization', await auth(by));

  it('a second intake of the same person gets the hint, and it names nothing of the other record', async () => {
    record = await open('ana', { identity: AT_CARE, ...RECORD });
    await eventually(async () => expect((await encoding(record))?.encoding).toHaveLength(128));
    second = await open('lee', { identity: AT_LEGAL, needs: OWN_NEEDS });
    const res = await check(second, 'lee');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      survivorId: second,
      possibleDuplicate: true,
      advice: DUPLICATE_ADVICE,
      checkedAt: expect.any(String),
    });
    const said = JSON.stringify(res.body) + JSON.stringify(res.headers);
    for (const hidden of [record, ids.care, 'Synthetic Care Network', 'Mohammed', 'ana'])
      expect(said).not.toContain(hidden);
  });

  it('another person gets no hint', async () => {
    const other = await open('lee', { identity: SOMEONE_ELSE });
    const res = await check(other, 'lee');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ possibleDuplicate: false, advice: null });
  });

  it('every check is audited on the checked record only: the holding agency is not told', async () => {
    const trail = (await stream(`access-${second}`)).map((e) => e.data);
    expect(trail).toContainEqual(
      expect.objectContaining({
        route: 'GET /v1/intakes/:survivorId/duplicate-check',
        actor: expect.objectContaining({ userId: 'lee', agencyId: ids.legal }),
        sectionsReturned: ['identity'],
      }),
    );
    const checks = await stream(`duplicate-check-${second}`);
    expect(checks).toEqual([
      {
        type: 'DuplicateCheckMade',
        data: expect.objectContaining({
          survivorId: second,
          checkedBy: { userId: 'lee', agencyId: ids.legal },
          possibleDuplicate: true,
          skipped: null,
        }),
      },
    ]);
    expect(JSON.stringify(checks)).not.toContain(record);
    // Nothing on the existing record's trail from legal aid.
    const recordTrail = (await stream(`access-${record}`)).map((e) => e.data);
    expect(recordTrail.filter((e) => e.actor.agencyId === ids.legal)).toEqual([]);
  });

  it('only the care team may check: anyone else gets 404, recorded', async () => {
    const res = await check(second, 'hana');
    expect(res.body).toMatchObject({ status: 404, code: 'intake-not-found' });
    const trail = (await stream(`access-${second}`)).map((e) => e.data);
    expect(trail.at(-1)).toMatchObject({ actor: expect.objectContaining({ userId: 'hana' }), outcome: 'denied' });
  });

  it('links the second intake after the survivor redeems a share code: sections filled within the code’s scope, intake closed', async () => {
    const refused = await http
      .post(`/v1/intakes/${second}/link`)
      .set('Authorization', await auth('lee'))
      .send({ recordId: record });
    expect(refused.body).toMatchObject({ status: 409, code: 'link-needs-share-code' });

    const issued = await http
      .post(`/v1/intakes/${record}/share-codes`)
      .set('Authorization', await auth('ana'))
      .send({ language: 'ar' })
      .expect(201);
    await http
      .post('/v1/share-codes/redemption')
      .set('Authorization', await auth('lee'))
      .send({ code: issued.body.code })
      .expect(200);
    const link = async (recordId: string) =>
      http
        .post(`/v1/intakes/${second}/link`)
        .set('Authorization', await auth('lee'))
        .set('Idempotency-Key', 'link-once')
        .send({ recordId });
    const linked = await link(record);
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ survivorId: second, linkedTo: record, sections: ['needs', 'preferences'] });
    // A retry answers the same and links nothing twice; the same key for another request is refused.
    expect((await link(record)).body).toEqual(linked.body);
    expect((await stream(`intake-${second}`)).filter((e) => e.type === 'IntakeLinked')).toHaveLength(1);
    expect((await link(second)).body).toMatchObject({ status: 400, code: 'idempotency-key-reused' });

    const now = await read(second, 'lee');
    expect(now.status).toBe(200);
    expect(now.body.linkedTo).toBe(record);
    expect(now.body.sections.needs).toEqual(RECORD.needs);
    expect(now.body.sections.preferences).toEqual(RECORD.preferences);
    expect(now.body.sections.identity).toEqual(AT_LEGAL); // its own: identity was not in the code's scope
    expect(JSON.stringify(now.body)).not.toContain('record-story-text'); // nor was the story

    const write = await http
      .put(`/v1/intakes/${second}/sections/story`)
      .set('Authorization', await auth('lee'))
      .send({ content: { narrative: 'x', toldOn: '2026-12-01', language: 'en' } });
    expect(write.body).toMatchObject({ status: 409, code: 'intake-linked' });

    // A closed duplicate is not matched any more, and is not checked.
    await eventually(async () => expect((await encoding(second))?.status).toBe('linked'));
    const again = await check(second, 'lee');
    expect(again.body.possibleDuplicate).toBe(false);
    // The link read the record through the gate: an access event on its trail, on the code's consent.
    const recordTrail = (await stream(`access-${record}`)).map((e) => e.data);
    expect(recordTrail.at(-1)).toMatchObject({
      route: 'POST /v1/intakes/:survivorId/link',
      actor: expect.objectContaining({ userId: 'lee' }),
    });
  });

  it('unlinking makes it its own record again, with its sections as they were before', async () => {
    const unlinked = await http
      .post(`/v1/intakes/${second}/unlink`)
      .set('Authorization', await auth('lee'))
      .send({});
    expect(unlinked.status).toBe(200);
    expect(unlinked.body).toMatchObject({ survivorId: second, linkedTo: null });
    const now = await read(second, 'lee');
    expect(now.body.linkedTo).toBeNull();
    expect(now.body.sections.needs).toEqual(OWN_NEEDS);
    expect(now.body.sections.preferences).toBeUndefined();
    const again = await http
      .post(`/v1/intakes/${second}/unlink`)
      .set('Authorization', await auth('lee'))
      .send({});
    expect(again.body).toMatchObject({ status: 409, code: 'intake-not-linked' });
    await eventually(async () => expect((await encoding(second))?.status).toBe('active'));
  });

  const erase = async (survivorId: string, worker: string, officer: string) => {
    const { body } = await http
      .post(`/v1/intakes/${survivorId}/erasure-requests`)
      .set('Authorization', await auth(worker))
      .send({ scope: 'record', obtainedHow: 'written' })
      .expect(201);
    await http
      .post(`/v1/intakes/${survivorId}/erasure-requests/${body.requestId}/decision`)
      .set('Authorization', await auth(officer))
      .send({ decision: 'approve', reason: 'request-verified' })
      .expect(200);
  };

  it('erasure drops the encodings: an erased record is matched no more', async () => {
    await erase(record, 'ana', 'cpo');
    await eventually(async () => expect(await encoding(record)).toEqual({ encoding: null, status: 'erased' }));
    await erase(second, 'lee', 'lia');
    await eventually(async () => expect(await encoding(second)).toEqual({ encoding: null, status: 'erased' }));
    // The same person at a third agency: both earlier records are erased, so no hint.
    const third = await open('hana', { identity: AT_CARE });
    const res = await check(third, 'hana');
    expect(res.body).toMatchObject({ possibleDuplicate: false, advice: null });
  });
});
