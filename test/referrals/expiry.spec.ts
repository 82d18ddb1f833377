import { rm } from 'node:fs/promises';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DevKeys } from '@harbour/auth';
import { EventStore } from '@harbour/event-store';
import { FixedClock } from '@harbour/kernel';
import { ReferralExpirySweeper } from '@harbour/referrals';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp, httpAdapter } from '../../apps/api/src/http/configure-app.js';
import { startTestApp, type TestApp } from '../support/context.js';
import { eventually } from '../support/store-context.js';
import { type Network, setUpNetwork } from './fixtures.js';

describe('referral expiry', () => {
  let t: TestApp;
  let n: Network;
  let restarted: INestApplication | null = null;

  beforeAll(async () => {
    t = await startTestApp();
    n = await setUpNetwork(t);
  });
  afterAll(async () => {
    await restarted?.close();
    await t.database.drop();
    await rm(t.dataDir, { recursive: true, force: true });
  });

  it('expires an unacknowledged referral after the response window, across a restart; acknowledged ones stay', async () => {
    const { survivorId } = await n.survivor();
    const unanswered = (await n.refer(survivorId)).body;
    const answered = (await n.refer(survivorId)).body;
    expect(unanswered.state).toBe('requested');
    await n.act(answered.referralId, 'acknowledgement', 'tom');
    const deadline = (
      await n.http
        .get(`/v1/referrals/${unanswered.referralId}`)
        .set('Authorization', await n.auth('ana'))
        .expect(200)
    ).body.respondBy;
    expect(deadline).toBe(new Date(n.clock.now().getTime() + 24 * 3_600_000).toISOString()); // the shelter service's window
    await eventually(async () => {
      const res = await n.http
        .get('/v1/referrals/outbox?state=requested')
        .set('Authorization', await n.auth('ana'))
        .expect(200);
      expect(res.body.items.map((i: { referralId: string }) => i.referralId)).toContain(unanswered.referralId);
    });
    // Inside the window nothing expires.
    expect(await t.app.get(ReferralExpirySweeper).sweep()).toBe(0);

    // The process stops; it comes back 25 hours later (same database, same configuration).
    await t.app.close();
    const clock = new FixedClock(new Date(n.clock.now().getTime() + 25 * 3_600_000));
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(t.config, clock)] }).compile();
    restarted = await configureApp(moduleRef.createNestApplication(httpAdapter(), { bufferLogs: true }));
    await restarted.init();
    await restarted.listen(0, '127.0.0.1');
    const http = request(restarted.getHttpServer());
    const keys = restarted.get(DevKeys);
    const ana = `Bearer ${await keys.mintDevToken({ userId: 'ana', agencyId: n.ids.care, roles: ['caseworker'] })}`;

    // No one asks: the sweep after start-up expires what fell due while the process was down.
    await eventually(async () => {
      const res = await http.get(`/v1/referrals/${unanswered.referralId}`).set('Authorization', ana).expect(200);
      expect(res.body.state).toBe('expired');
    });
    expect(
      (await http.get(`/v1/referrals/${answered.referralId}`).set('Authorization', ana).expect(200)).body.state,
    ).toBe('acknowledged');
    const events = await restarted.get(EventStore).readStream(`referral-${unanswered.referralId}`);
    expect(events.map((e) => e.type)).toEqual(['ReferralRequested', 'ReferralExpired']);
    expect(events[1].actor).toMatchObject({ userId: 'system:referral-expiry', role: 'system' });
    const intake = await restarted.get(EventStore).readStream(`intake-${survivorId}`);
    expect(intake.at(-1)).toMatchObject({
      type: 'ReferralUnlinked',
      data: { referralId: unanswered.referralId, reason: 'expired' },
    });
    // A second sweep finds nothing more to do.
    expect(await restarted.get(ReferralExpirySweeper).sweep()).toBe(0);
    // Acknowledging an expired referral is an illegal transition.
    const tom = `Bearer ${await keys.mintDevToken({ userId: 'tom', agencyId: n.ids.shelter, roles: ['caseworker'] })}`;
    const late = await http
      .post(`/v1/referrals/${unanswered.referralId}/acknowledgement`)
      .set('Authorization', tom)
      .expect(409);
    expect(late.body).toMatchObject({ code: 'illegal-transition', currentState: 'expired' });
  });
});
