import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/context.js';
import { IDENTIFYING, MARKER, type Network, setUpNetwork } from '../referrals/fixtures.js';

const CLEAN = 'A survivor our network worked with found safe housing and now mentors others in her community.';

describe('impact stories over HTTP: consent for impact-story, the checker, audited export', () => {
  let t: TestApp;
  let n: Network;
  let survivorId: string;
  const url = () => `/v1/intakes/${survivorId}/impact-stories`;

  beforeAll(async () => {
    t = await startTestApp();
    n = await setUpNetwork(t);
    ({ survivorId } = await n.survivor());
  });
  afterAll(() => t.close());

  it('the care team alone may not draft one: only a consent naming impact-story does', async () => {
    const res = await n.http
      .post(url())
      .set('Authorization', await n.auth('ana'))
      .send({ text: CLEAN })
      .expect(403);
    expect(res.body.code).toBe('impact-story-not-consented');
  });

  let storyId: string;

  it('with that consent, a draft is stored encrypted; export is refused while it holds record values, naming kinds only', async () => {
    await n.consent(survivorId, {
      recipient: { kind: 'agency', agencyId: n.ids.care },
      sections: ['story', 'needs'],
      purposes: ['impact-story'],
    });
    const text = `Mia (born 19 July 1994) came to Toronto; on 28/10/2026 she told us her story. Call +1 (416) 555-0199.`;
    const drafted = await n.http
      .post(url())
      .set('Authorization', await n.auth('ana'))
      .send({ text })
      .expect(201);
    expect(drafted.body).toEqual({
      storyId: expect.any(String),
      survivorId,
      found: ['identity', 'contact', 'date', 'place'],
      version: 0,
    });
    storyId = drafted.body.storyId;
    const stored = JSON.stringify(
      await t.app.get(DataSource).query("SELECT data FROM harbour_events WHERE type = 'ImpactStoryDrafted'"),
    );
    expect(stored).not.toContain('Mia');
    expect(stored).not.toContain('Toronto');

    const refused = await n.http
      .post(`${url()}/${storyId}/export`)
      .set('Authorization', await n.auth('ana'))
      .expect(409);
    expect(refused.body).toMatchObject({
      code: 'impact-story-identifying',
      found: ['identity', 'contact', 'date', 'place'],
    });
    const { requestId: _random, ...problem } = refused.body as Record<string, unknown>; // a random UUID may hold "1994"
    const body = JSON.stringify(problem);
    for (const value of ['Mia', '1994', 'Toronto', '0199', MARKER, ...Object.values(IDENTIFYING)])
      expect(body).not.toContain(value);

    // Each variation of a record value is caught: a date written another way, a name in capitals without accents.
    await n.http
      .put(`${url()}/${storyId}`)
      .set('Authorization', await n.auth('ana'))
      .send({ text: 'MARIA arrived in the spring.' })
      .expect(200)
      .expect((r) => expect(r.body.found).toEqual(['identity']));
    await n.http
      .put(`${url()}/${storyId}`)
      .set('Authorization', await n.auth('ana'))
      .send({ text: 'She first spoke to us on October 28, 2026.' })
      .expect(200)
      .expect((r) => expect(r.body.found).toEqual(['date']));
  });

  it('a clean story is exported, and the export is recorded (story event and access event)', async () => {
    await n.http
      .put(`${url()}/${storyId}`)
      .set('Authorization', await n.auth('ana'))
      .send({ text: CLEAN })
      .expect(200);
    const read = await n.http
      .get(`${url()}/${storyId}`)
      .set('Authorization', await n.auth('ana'))
      .expect(200);
    expect(read.body).toMatchObject({ text: CLEAN, found: [] });
    const exported = await n.http
      .post(`${url()}/${storyId}/export`)
      .set('Authorization', await n.auth('ana'))
      .expect(200);
    expect(exported.body).toMatchObject({ storyId, survivorId, found: [], text: CLEAN });
    const [event] = await t.app
      .get(DataSource)
      .query<Array<{ data: Record<string, unknown> }>>(
        "SELECT data FROM harbour_events WHERE type = 'ImpactStoryExported'",
      );
    expect(event.data).toMatchObject({ storyId, survivorId, exportedBy: { userId: 'ana' } });
    const access = (await n.accessEvents(survivorId)).filter(
      (e) => e.route === 'POST /v1/intakes/:survivorId/impact-stories/:storyId/export',
    );
    expect(access.map((e) => [e.purpose, e.outcome])).toEqual([
      ['impact-story', 'partial'],
      ['impact-story', 'partial'],
    ]);
  });

  it('another agency finds neither the story nor a way to draft one', async () => {
    await n.http
      .get(`${url()}/${storyId}`)
      .set('Authorization', await n.auth('tom'))
      .expect(404);
    await n.http
      .post(`${url()}/${storyId}/export`)
      .set('Authorization', await n.auth('tom'))
      .expect(404);
    await n.http
      .post(url())
      .set('Authorization', await n.auth('tom'))
      .send({ text: CLEAN })
      .expect(404); // not on the care team, no accepted referral: the record is not shown to exist
  });
});
