import { EventStore, type StoredEvent } from '@harbour/event-store';
import { AccessGate } from '@harbour/intake';
import { FixedClock } from '@harbour/kernel';
import { eventually } from '../support/store-context.js';
import { type Network, startNetwork } from './network-fixture.js';

/**
 * Issue 18, part 6: a read decided before a revocation but committed after it is provable as
 * such from the log alone — the access event carries the instant of the decision and the consent
 * stream version it read, and the privacy officer's views show them. Also: the caller's own
 * X-Request-Id rides along as `clientRequestId`, never as the request id.
 */
describe('access events say when the decision was made, under which consent version', () => {
  const clock = new FixedClock(new Date('2026-11-02T09:00:00.000Z'));
  let n: Network;
  let survivorId: string;
  let consentId: string;
  const get = async (userId: string, path: string) =>
    (
      await n.http
        .get(path)
        .set('Authorization', await n.auth(userId))
        .expect(200)
    ).body;
  const events = async (): Promise<StoredEvent[]> => n.t.app.get(EventStore).readStream(`access-${survivorId}`);
  const consentEvents = async (): Promise<StoredEvent[]> => n.t.app.get(EventStore).readStream(`consent-${survivorId}`);

  beforeAll(async () => {
    n = await startNetwork({ clock });
    survivorId = await n.intake('ana-worker');
    const consent = await n.http
      .post(`/v1/intakes/${survivorId}/consents`)
      .set('Authorization', await n.auth('ana-worker'))
      .send({
        recipient: { kind: 'agency', agencyId: n.ids.legal },
        sections: ['needs'],
        purposes: ['referral'],
        method: 'verbal',
        language: 'en',
      })
      .expect(201);
    consentId = consent.body.consentId ?? consent.body.id;
  });
  afterAll(() => n.t.close());

  it('a read decided under consent version N and committed after its revocation shows both in the event and in the log', async () => {
    const before = await consentEvents();
    const versionRead = before.at(-1)!.streamVersion;
    const gate = n.t.app.get(AccessGate);
    const principal = {
      userId: 'lee-legal',
      agencyId: n.ids.legal,
      roles: ['caseworker'],
      agencyStatus: 'active' as const,
      agencyTier: 'core' as const,
    };
    const decidedAt = clock.now();
    let revokedAt: Date | null = null;
    // The gate decides, then reveals, then records: revoke in between, a minute later.
    const admissions = await gate.admit(
      {
        principal,
        survivorIds: [survivorId],
        sections: ['needs'],
        purpose: 'referral',
        requestId: 'req-decided-before-revocation',
        route: 'GET /v1/intakes/:survivorId',
      },
      async () => {
        clock.advance(60_000);
        await n.http
          .post(`/v1/intakes/${survivorId}/consents/${consentId}/revocation`)
          .set('Authorization', await n.auth('ana-worker'))
          .send({ method: 'verbal' })
          .expect(200);
        revokedAt = (await consentEvents()).at(-1)!.recordedAt;
        clock.advance(60_000);
      },
    );
    expect(admissions.get(survivorId)!.decision.outcome).toBe('permitted');

    const revocation = (await consentEvents()).at(-1)!;
    expect(revocation.type).toBe('ConsentRevoked');
    expect(revocation.streamVersion).toBe(versionRead + 1);
    const read = (await events()).find(
      (e) =>
        e.type === 'SurvivorDataAccessed' &&
        (e.data as { requestId: string }).requestId === 'req-decided-before-revocation',
    )!;
    const data = read.data as Record<string, unknown>;
    // Committed after the revocation…
    expect(read.globalPosition > revocation.globalPosition).toBe(true);
    expect(new Date(data.at as string).getTime()).toBeGreaterThan(revokedAt!.getTime());
    // …but decided before it, on the consent stream version before the revocation: the log alone says so.
    expect(data.decidedAt).toBe(decidedAt.toISOString());
    expect(new Date(data.decidedAt as string).getTime()).toBeLessThan(revokedAt!.getTime());
    expect(data.consentStreamVersion).toBe(versionRead);
    expect(data.basis).toEqual([{ section: 'needs', kind: 'consent', consentId, version: expect.any(Number) }]);
    expect(data).not.toHaveProperty('clientRequestId');

    // The privacy officer's access log and the survivor's trail show the same.
    const item = await eventually(async () => {
      const found = (
        await get('nina-network', `/v1/audit/access-events?survivorId=${survivorId}&kind=read`)
      ).items.find((i: any) => i.requestId === 'req-decided-before-revocation');
      expect(found).toBeDefined();
      return found;
    });
    expect(item).toMatchObject({
      decidedAt: decidedAt.toISOString(),
      consentStreamVersion: versionRead,
      clientRequestId: null,
      outcome: 'permitted',
    });
    expect(new Date(item.at).getTime()).toBeGreaterThan(new Date(item.decidedAt).getTime());
    // The FHIR export: the activity's period runs from the decision to the record; the version read is a detail.
    const fhir = (
      await get('nina-network', `/v1/audit/access-events/fhir?survivorId=${survivorId}&kind=read`)
    ).entry.map((e: any) => e.resource);
    const audit = fhir.find((r: any) => r.entity[1].what.identifier.value === 'req-decided-before-revocation');
    expect(audit.period).toEqual({ start: item.decidedAt, end: item.at });
    expect(audit.entity[0].detail).toContainEqual({ type: 'consent-stream-version', valueString: String(versionRead) });

    // A read after the revocation is decided on the newer version, and refused.
    await n.read('lee-legal', survivorId, 'purpose=referral&sections=needs', 404); // no relation left: as for an unknown id
    const after = (await events()).at(-1)!.data as Record<string, unknown>;
    expect(after).toMatchObject({
      outcome: 'denied',
      consentStreamVersion: revocation.streamVersion,
      decidedAt: clock.now().toISOString(),
    });
  });

  it("keeps the caller's X-Request-Id as clientRequestId, apart from Harbour's request id, and shows it to the privacy officer", async () => {
    const res = await n.http
      .get(`/v1/intakes/${survivorId}?purpose=care-coordination`)
      .set('Authorization', await n.auth('ana-worker'))
      .set('X-Request-Id', 'caller-trace-0042')
      .expect(200);
    const data = (await events()).at(-1)!.data as Record<string, unknown>;
    expect(data).toMatchObject({
      clientRequestId: 'caller-trace-0042',
      outcome: 'permitted',
      consentStreamVersion: expect.any(Number),
      decidedAt: clock.now().toISOString(),
    });
    expect(data.requestId).not.toBe('caller-trace-0042');
    expect(res.headers['x-request-id'] ?? data.requestId).not.toBe('caller-trace-0042');
    // A refusal keeps it too (a privacy officer reads the log, never the record).
    await n.http
      .get(`/v1/intakes/${survivorId}?purpose=care-coordination`)
      .set('Authorization', await n.auth('pat-privacy'))
      .set('X-Request-Id', 'caller-trace-0043')
      .expect(403);
    const refusal = (await events()).at(-1)!.data as Record<string, unknown>;
    expect(refusal).toMatchObject({
      outcome: 'denied',
      actor: { userId: 'pat-privacy' },
      clientRequestId: 'caller-trace-0043',
    });
    // A header that is no plain token is not kept at all.
    await n.http
      .get(`/v1/intakes/${survivorId}?purpose=care-coordination`)
      .set('Authorization', await n.auth('ana-worker'))
      .set('X-Request-Id', 'no spaces <allowed>')
      .expect(200);
    const last = (await events()).at(-1)!.data as Record<string, unknown>;
    expect(last).not.toHaveProperty('clientRequestId');

    const items = await eventually(async () => {
      const page = (await get('nina-network', `/v1/audit/access-events?survivorId=${survivorId}&kind=read&limit=10`))
        .items;
      expect(page.some((i: any) => i.clientRequestId === 'caller-trace-0042')).toBe(true);
      return page;
    });
    const traced = items.find((i: any) => i.clientRequestId === 'caller-trace-0042');
    expect(traced.requestId).toBe(data.requestId);
    expect(traced.actor.userId).toBe('ana-worker');
    const fhir = (
      await get('nina-network', `/v1/audit/access-events/fhir?survivorId=${survivorId}&kind=read`)
    ).entry.map((e: any) => e.resource);
    const audit = fhir.find((r: any) => r.id === traced.eventId);
    expect(audit.entity[1].what.identifier.value).toBe(traced.requestId);
    expect(audit.entity[1].detail).toContainEqual({ type: 'client-request-id', valueString: 'caller-trace-0042' });
  });
});
