import request from 'supertest';
import { DevKeys } from '@harbour/auth';
import { EventStore, ProjectionRunner } from '@harbour/event-store';
import { FixedClock, newId } from '@harbour/kernel';
import { NetworkBootstrap } from '@harbour/network';
import { startTestApp, type TestApp } from '../support/context.js';
import { eventually } from '../support/store-context.js';

/** Synthetic data only. The referral events follow the contract in the referrals context (appended directly here). */
export const NOTE_MARKER = 'ZZ-REPORTS-NOTE-4411';
export const REPORT_TIME = new Date('2026-03-01T12:00:00Z');

export interface ReportsWorld {
  t: TestApp;
  http: ReturnType<typeof request>;
  clock: FixedClock;
  store: EventStore;
  agencyId: string;
  token(userId: string): Promise<string>;
  addStaff(userId: string, roles: string[]): Promise<void>;
  at<T>(iso: string, append: () => Promise<T>): Promise<T>;
  catchUp(): Promise<void>;
}

export async function startReportsWorld(env: Record<string, string> = {}): Promise<ReportsWorld> {
  const clock = new FixedClock(REPORT_TIME);
  const t = await startTestApp({
    clock,
    env: {
      HARBOUR_REPORT_K: '3',
      HARBOUR_REPORT_REGIONS: JSON.stringify({ toronto: ['on-toronto', 'on-peel'], north: ['on-sudbury'] }),
      HARBOUR_REPORT_LANGUAGES: 'en,fr',
      ...env,
    },
  });
  const http = request(t.app.getHttpServer());
  const keys = t.app.get(DevKeys);
  const boot = await t.app.get(NetworkBootstrap).run({
    agency: {
      name: 'Network Secretariat',
      sector: 'other',
      regions: ['on-toronto'],
      contact: { name: 'S', email: 's@example.org' },
    },
    admin: { userId: 'admin', displayName: 'Admin', email: 'admin@example.org' },
  });
  const users: Record<string, string[]> = { admin: ['network-admin', 'agency-admin'] };
  const token = async (userId: string) =>
    `Bearer ${await keys.mintDevToken({ userId, agencyId: boot.agencyId, roles: users[userId] })}`;
  return {
    t,
    http,
    clock,
    store: t.app.get(EventStore),
    agencyId: boot.agencyId,
    token,
    async addStaff(userId, roles) {
      await http
        .post(`/v1/agencies/${boot.agencyId}/staff`)
        .set('Authorization', await token('admin'))
        .send({ userId, displayName: userId, email: `${userId}@example.org`, roles })
        .expect(201);
      users[userId] = roles;
    },
    async at(iso, append) {
      clock.set(new Date(iso));
      try {
        return await append();
      } finally {
        clock.set(REPORT_TIME);
      }
    },
    /** Until every reports projection has applied everything in the log (readAll holds back while other transactions are open, so one catchUp may stop short). */
    async catchUp() {
      const runner = t.app.get(ProjectionRunner);
      const names = ['reports-referrals', 'reports-consents', 'reports-needs', 'reports-notices'];
      await eventually(async () => {
        for (const name of names) await runner.catchUp(name);
        const behind = (await runner.status()).filter((s) => names.includes(s.name) && s.lag > 0);
        expect(behind).toEqual([]);
      });
    },
  };
}

const actor = { userId: 'worker-1', agencyId: null, role: 'caseworker' };

export async function grantConsent(
  w: ReportsWorld,
  survivorId: string,
  purposes: string[],
  at = '2025-12-15T10:00:00Z',
  validUntil = '2027-12-01T00:00:00Z',
) {
  const consentId = newId();
  await w.at(at, () =>
    w.store.append(
      `consent-${survivorId}`,
      'any',
      [
        {
          type: 'ConsentRecorded',
          data: {
            consentId,
            version: 1,
            recipient: { kind: 'sector', sector: 'shelter' },
            sections: ['needs'],
            purposes,
            validFrom: '2025-12-01T00:00:00Z',
            validUntil,
            method: 'written',
            language: 'en',
            recordedBy: { userId: 'worker-1', agencyId: w.agencyId },
            recordedAt: at,
          },
        },
      ],
      { actor },
    ),
  );
  return consentId;
}

export async function revokeConsent(w: ReportsWorld, survivorId: string, consentId: string, at: string) {
  await w.at(at, () =>
    w.store.append(
      `consent-${survivorId}`,
      'any',
      [
        {
          type: 'ConsentRevoked',
          data: {
            consentId,
            version: 1,
            method: 'verbal',
            revokedBy: { userId: 'worker-1', agencyId: w.agencyId },
            revokedAt: at,
          },
        },
      ],
      { actor },
    ),
  );
}

export interface ReferralScript {
  survivorId: string;
  requestedAt: string;
  toSector: string;
  urgency: string;
  needs: string[];
  region: string | null;
  language: string | null;
  /** [event type, ISO time, extra data] in order. */
  then?: Array<[string, string, Record<string, unknown>?]>;
}

export async function referral(w: ReportsWorld, r: ReferralScript): Promise<string> {
  const referralId = newId();
  const stream = `referral-${referralId}`;
  await w.at(r.requestedAt, () =>
    w.store.append(
      stream,
      'no-stream',
      [
        {
          type: 'ReferralRequested',
          data: {
            referralId,
            survivorId: r.survivorId,
            fromAgencyId: w.agencyId,
            toAgencyId: newId(),
            toSector: r.toSector,
            requestedBy: 'worker-1',
            needs: r.needs,
            urgency: r.urgency,
            note: `short note ${NOTE_MARKER}`,
            consentId: newId(),
            consentVersion: 1,
            notice: { needs: r.needs, urgency: r.urgency, language: r.language, region: r.region, ageBand: '25-34' },
            respondBy: '2030-01-01T00:00:00Z',
          },
        },
      ],
      { actor },
    ),
  );
  for (const [type, at, extra] of r.then ?? []) {
    await w.at(at, () =>
      w.store.append(stream, 'any', [{ type, data: { referralId, by: 'someone', ...extra } }], { actor }),
    );
  }
  return referralId;
}
