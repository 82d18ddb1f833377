import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/context.js';
import { eventually } from '../support/store-context.js';
import { IDENTIFYING, type Network, setUpNetwork } from '../referrals/fixtures.js';

/** Written into the story of the survivor whose copy is asked for: must come out escaped, never as markup. */
const HOSTILE = '<script>alert("x")</script> & <b>bold</b>';
const OTHER_MARKER = 'QQ-OTHER-SURVIVOR-7731';

describe("the survivor's own copy: GET /v1/intakes/{id}/copy", () => {
  let t: TestApp;
  let n: Network;
  let survivorId: string;
  let consentId: string;
  let referralId: string;
  let other: string;
  /** Asks for the copy and checks the status (the body is always safe to print on failure: synthetic). */
  const copy = async (status: number, userId: string, id: string, query = '', accept = 'application/json') => {
    const res = await n.http
      .get(`/v1/intakes/${id}/copy${query}`)
      .set('Authorization', await n.auth(userId))
      .set('Accept', accept);
    expect({ status: res.status, body: res.status === status ? null : res.body }).toEqual({ status, body: null });
    return res;
  };

  beforeAll(async () => {
    t = await startTestApp();
    n = await setUpNetwork(t);
    await n.staff(n.ids.care, 'pia', ['privacy-officer']);
    ({ survivorId, consentId } = await n.survivor());
    await n.http
      .put(`/v1/intakes/${survivorId}/sections/story`)
      .set('Authorization', await n.auth('ana'))
      .send({ content: { narrative: HOSTILE, toldOn: '2026-10-28', language: 'tl' } })
      .expect(200);
    // A second consent, for legal aid, later revoked; exclusions of the police and of one police worker.
    const legal = await n.consent(survivorId, {
      recipient: { kind: 'sector', sector: 'legal' },
      sections: ['legal'],
      purposes: ['referral', 'care-coordination'],
    });
    await n.http
      .post(`/v1/intakes/${survivorId}/consents/${legal}/revocation`)
      .set('Authorization', await n.auth('ana'))
      .send({ method: 'written' })
      .expect(200);
    await n.http
      .post(`/v1/intakes/${survivorId}/exclusions`)
      .set('Authorization', await n.auth('ana'))
      .send({ target: { kind: 'sector', sector: 'law-enforcement' }, method: 'verbal', language: 'tl' })
      .expect(201);
    await n.http
      .post(`/v1/intakes/${survivorId}/exclusions`)
      .set('Authorization', await n.auth('ana'))
      .send({ target: { kind: 'staff', userId: 'pete' }, method: 'written', language: 'tl' })
      .expect(201);
    referralId = await n.acceptedReferral(survivorId, 'tess');
    // The shelter's assigned worker reads what the consent allows: a disclosure the copy must list.
    await n.http
      .get(`/v1/intakes/${survivorId}?purpose=referral`)
      .set('Authorization', await n.auth('tess'))
      .expect(200);
    // Another survivor of the same care team, with words of their own.
    ({ survivorId: other } = await n.survivor());
    await n.http
      .put(`/v1/intakes/${other}/sections/story`)
      .set('Authorization', await n.auth('ana'))
      .send({ content: { narrative: `Someone else entirely ${OTHER_MARKER}`, toldOn: '2026-10-29', language: 'fr' } })
      .expect(200);
    await n.http
      .get(`/v1/intakes/${other}?purpose=care-coordination`)
      .set('Authorization', await n.auth('ana'))
      .expect(200);
  });
  afterAll(() => t?.close());

  it('answers JSON by default: the record now, every consent decision, the referrals and who has seen it', async () => {
    const body = await eventually(async () => {
      const res = await copy(200, 'ana', survivorId, '', '*/*');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      // The shelter worker's read reaches the report once the access projection has it.
      expect(res.body.disclosures.map((d: { agency: { name: string } }) => d.agency.name)).toContain(
        'Synthetic Shelter',
      );
      return res.body;
    });
    expect(body).toMatchObject({ survivorId, language: 'en' });
    expect(body.record.sections.identity.legalName).toBe(IDENTIFYING.legalName);
    expect(body.record.sections.story.narrative).toBe(HOSTILE);
    expect(body.record.withheld).toEqual([]);

    const shelterConsent = body.consents.find((c: { consentId: string }) => c.consentId === consentId);
    expect(shelterConsent).toMatchObject({
      recipient: { kind: 'agency', agency: { agencyId: n.ids.shelter, name: 'Synthetic Shelter' } },
      state: 'in-force',
      revoked: null,
    });
    expect(shelterConsent.versions).toEqual([
      expect.objectContaining({
        version: 1,
        sections: ['housing', 'needs', 'preferences'].sort(),
        purposes: ['referral'],
        method: 'verbal',
        language: 'tl',
        validFrom: '2026-11-02T09:00:00.000Z',
        validUntil: '2027-11-02T09:00:00.000Z',
        recordedThrough: { agencyId: n.ids.care, name: 'Synthetic Care Network' },
      }),
    ]);
    const legal = body.consents.find((c: { recipient: { kind: string } }) => c.recipient.kind === 'sector');
    expect(legal).toMatchObject({
      recipient: { kind: 'sector', sector: 'legal' },
      state: 'revoked',
      revoked: { method: 'written', agency: { name: 'Synthetic Care Network' } },
    });
    expect(body.exclusions).toEqual([
      expect.objectContaining({
        target: { kind: 'sector', sector: 'law-enforcement' },
        method: 'verbal',
        lifted: null,
      }),
      expect.objectContaining({ target: { kind: 'staff', userId: 'pete', name: 'pete' }, method: 'written' }),
    ]);
    expect(body.referrals).toEqual([
      expect.objectContaining({
        referralId,
        state: 'accepted',
        from: { agencyId: n.ids.care, name: 'Synthetic Care Network' },
        to: { agencyId: n.ids.shelter, name: 'Synthetic Shelter' },
        needs: ['shelter'],
        urgency: 'high',
      }),
    ]);
    const shelter = body.disclosures.find((d: { agency: { agencyId: string } }) => d.agency.agencyId === n.ids.shelter);
    expect(shelter.entries).toContainEqual(
      expect.objectContaining({ role: 'caseworker', purpose: 'referral', basis: ['consent'] }),
    );
    expect(shelter.entries[0].sections.sort()).toEqual(['housing', 'needs', 'preferences']);
  });

  it('prints an HTML page in English: escaped, with a strict CSP, printable', async () => {
    const res = await copy(200, 'ana', survivorId, '', 'text/html');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Who has seen your record');
    expect(html).toContain('Who you agreed may see your record');
    expect(html).toContain('Synthetic Shelter');
    expect(html).toContain('Accepted');
    expect(html).toContain('You took this back on');
    expect(html).toContain('Every agency of this kind: Police');
    expect(html).toContain('pete, a staff member');
    expect(html).toContain('@media print');
    // The survivor's words, escaped: no markup of theirs reaches the page.
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>bold');
  });

  it('prints in French with ?format=html&lang=fr, and in the preferred language recorded in the intake', async () => {
    const fr = await copy(200, 'ana', survivorId, '?format=html&lang=fr');
    expect(fr.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain('Qui a vu votre dossier');
    expect(fr.text).toContain('Accepté');
    expect(fr.text).not.toContain('Who has seen your record');
    // No translation for Tagalog (the survivor's language here): English.
    expect((await copy(200, 'ana', survivorId, '?lang=tl')).body.language).toBe('en');
    // A survivor who prefers Canadian French gets French without asking.
    await n.http
      .put(`/v1/intakes/${other}/sections/preferences`)
      .set('Authorization', await n.auth('ana'))
      .send({ content: { language: 'fr-CA', interpreter: false } })
      .expect(200);
    expect((await copy(200, 'ana', other)).body.language).toBe('fr');
    expect((await copy(200, 'ana', other, '', 'text/html')).text).toContain('Ce que dit votre dossier');
    // ?lang= wins over the preference.
    expect((await copy(200, 'ana', other, '?lang=en')).body.language).toBe('en');
    const bad = await copy(400, 'ana', survivorId, '?lang=12');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['lang']);
  });

  it('is an access event of its own (and a view of the access log), and later copies list it', async () => {
    const res = await copy(200, 'ana', survivorId);
    const requestId = String(res.headers['x-request-id']);
    const mine = (await n.accessEvents(survivorId)).filter((e) => e.requestId === requestId);
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          route: 'GET /v1/intakes/:survivorId/copy',
          outcome: 'permitted',
          purpose: 'care-coordination',
          actor: { userId: 'ana', agencyId: n.ids.care, role: 'caseworker' },
        }),
        expect.objectContaining({ route: 'GET /v1/intakes/:survivorId/copy', view: 'disclosure-report' }),
      ]),
    );
    expect(mine).toHaveLength(2);
    expect(mine[0].sectionsReturned).toHaveLength(13);
    // The other survivor's trail has nothing of this request.
    expect((await n.accessEvents(other)).filter((e) => e.requestId === requestId)).toEqual([]);
    await eventually(async () => {
      const again = (await copy(200, 'ana', survivorId)).body;
      const care = again.disclosures.find((d: { agency: { agencyId: string } }) => d.agency.agencyId === n.ids.care);
      expect(care?.entries.length ?? 0).toBeGreaterThan(0);
    });
  });

  it('holds nothing of other survivors', async () => {
    const json = JSON.stringify((await copy(200, 'ana', survivorId)).body);
    const html = (await copy(200, 'ana', survivorId, '?format=html')).text;
    for (const text of [json, html]) {
      expect(text).not.toContain(OTHER_MARKER);
      expect(text).not.toContain(other);
    }
    const theirs = JSON.stringify((await copy(200, 'ana', other)).body);
    expect(theirs).toContain(OTHER_MARKER);
    expect(theirs).not.toContain(survivorId);
    expect(theirs).not.toContain('alert(');
  });

  it('refuses anyone off the care team, and records every refusal', async () => {
    const deniedOf = async (requestId: string) =>
      (await n.accessEvents(survivorId)).filter((e) => e.requestId === requestId && e.outcome === 'denied');
    // Legal aid has no relation to the record: the same 404 as for an id that names nothing.
    const lee = await copy(404, 'lee', survivorId);
    const random = await copy(404, 'lee', randomUUID());
    expect(lee.body.code).toBe('intake-not-found');
    expect({ ...lee.body, requestId: '', instance: '' }).toEqual({ ...random.body, requestId: '', instance: '' });
    expect(await deniedOf(String(lee.headers['x-request-id']))).toHaveLength(1);
    // The shelter's worker reads through the accepted referral, but the copy is the care team's to give.
    const tess = await copy(403, 'tess', survivorId, '?format=html');
    expect(tess.body.code).toBe('access-denied');
    expect(tess.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await deniedOf(String(tess.headers['x-request-id']))).toHaveLength(1);
    // A privacy officer of the care agency is no worker: refused by role, recorded.
    const pia = await copy(403, 'pia', survivorId);
    expect(pia.body.code).toBe('missing-role');
    expect(await deniedOf(String(pia.headers['x-request-id']))).toHaveLength(1);
    // Nothing of the record leaked into a refusal.
    for (const res of [lee, tess, pia]) expect(res.text).not.toContain(IDENTIFYING.legalName);
  });

  it('fails closed: when its access event cannot be recorded, nothing of the record is answered', async () => {
    const db = t.app.get(DataSource);
    await db.query(`CREATE FUNCTION refuse_copy_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.stream_id LIKE 'access-%' THEN RAISE EXCEPTION 'audit storage unavailable'; END IF; RETURN NEW; END $$`);
    await db.query(
      'CREATE TRIGGER refuse_copy_events BEFORE INSERT ON harbour_events FOR EACH ROW EXECUTE FUNCTION refuse_copy_events()',
    );
    try {
      const res = await copy(503, 'ana', survivorId, '?format=html');
      expect(res.body.code).toBe('access-not-recorded');
      expect(res.text).not.toContain(IDENTIFYING.legalName);
    } finally {
      await db.query('DROP TRIGGER IF EXISTS refuse_copy_events ON harbour_events');
      await db.query('DROP FUNCTION IF EXISTS refuse_copy_events()');
    }
  });

  it('an erased section is shown as erased; an erased record answers 410 record-erased, like the other reads', async () => {
    const { survivorId: gone } = await n.survivor();
    const erase = async (body: Record<string, unknown>) => {
      const request = await n.http
        .post(`/v1/intakes/${gone}/erasure-requests`)
        .set('Authorization', await n.auth('ana'))
        .send({ ...body, obtainedHow: 'written' })
        .expect(201);
      await n.http
        .post(`/v1/intakes/${gone}/erasure-requests/${request.body.requestId}/decision`)
        .set('Authorization', await n.auth('pia'))
        .send({ decision: 'approve', reason: 'request-verified' })
        .expect(200);
    };
    await erase({ scope: 'sections', sections: ['story'] });
    const partial = (await copy(200, 'ana', gone)).body;
    expect(partial.record.withheld).toEqual([{ section: 'story', reason: 'section-erased' }]);
    expect(partial.record.sections.story).toBeUndefined();
    expect(JSON.stringify(partial)).not.toContain(IDENTIFYING.narrative);
    const page = (await copy(200, 'ana', gone, '?format=html')).text;
    expect(page).toContain('Erased, as you asked');
    expect(page).not.toContain(IDENTIFYING.narrative);

    await erase({ scope: 'record' });
    const res = await copy(410, 'ana', gone, '?format=html');
    expect(res.body.code).toBe('record-erased');
    const events = (await n.accessEvents(gone)).filter((e) => e.requestId === String(res.headers['x-request-id']));
    expect(events).toEqual([expect.objectContaining({ outcome: 'denied', route: 'GET /v1/intakes/:survivorId/copy' })]);
  });
});
