import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditErrors } from '@harbour/audit';
import { AuthErrors } from '@harbour/auth';
import { ConsentErrors } from '@harbour/consent';
import { ConsoleErrors } from '@harbour/console';
import { EventStoreErrors } from '@harbour/event-store';
import { IntakeErrors } from '@harbour/intake';
import { DomainError, type ErrorCatalogue, type ErrorKind, KernelErrors } from '@harbour/kernel';
import { NetworkErrors } from '@harbour/network';
import { OfferErrors } from '@harbour/offers';
import { PrivacyErrors } from '@harbour/privacy';
import { ReferralErrors } from '@harbour/referrals';
import { ReportingErrors } from '@harbour/reporting';
import { SharingErrors } from '@harbour/sharing';
import { ApiErrors } from '../../apps/api/src/http/http-problems.js';
import { statusOf } from '../../apps/api/src/http/problem-details.filter.js';

const CATALOGUES: Record<string, ErrorCatalogue> = {
  KernelErrors,
  EventStoreErrors,
  AuthErrors,
  NetworkErrors,
  ConsentErrors,
  IntakeErrors,
  ReferralErrors,
  AuditErrors,
  PrivacyErrors,
  ReportingErrors,
  SharingErrors,
  OfferErrors,
  ConsoleErrors,
  ApiErrors,
};
const KINDS: ErrorKind[] = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  'precondition-failed',
  'gone',
  'rate-limited',
  'unavailable',
];

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat().filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
}

describe('error catalogues', () => {
  it('every entry has a kebab-case code, a known kind and a message', () => {
    for (const [name, catalogue] of Object.entries(CATALOGUES)) {
      for (const [key, spec] of Object.entries(catalogue)) {
        expect({
          at: `${name}.${key}`,
          code: /^[a-z]+(-[a-z]+)*$/.test(spec.code),
          kind: KINDS.includes(spec.kind),
          message: spec.message.length > 0,
        }).toEqual({
          at: `${name}.${key}`,
          code: true,
          kind: true,
          message: true,
        });
      }
    }
  });

  it('a code means one thing within a lib', () => {
    for (const [name, catalogue] of Object.entries(CATALOGUES)) {
      const codes = Object.values(catalogue).map((s) => s.code);
      expect({ name, duplicates: codes.filter((c, i) => codes.indexOf(c) !== i) }).toEqual({ name, duplicates: [] });
    }
  });

  it('every kind maps to an HTTP status', () => {
    expect(KINDS.map(statusOf)).toEqual([400, 401, 403, 404, 409, 412, 410, 429, 503]);
  });

  it('DomainError.of keeps the entry and adds only what the call site gives', () => {
    const error = DomainError.of(ReferralErrors.illegalTransition, { details: { currentState: 'closed' } });
    expect(error).toMatchObject({
      kind: 'conflict',
      code: 'illegal-transition',
      message: ReferralErrors.illegalTransition.message,
      details: { currentState: 'closed' },
      fields: [],
    });
  });

  it('no lib or app builds a DomainError from an inline code string', async () => {
    const offenders: string[] = [];
    for (const file of [...(await sources('libs')), ...(await sources('apps'))]) {
      const text = await readFile(file, 'utf8');
      text.split('\n').forEach((line, i) => {
        if (
          /new DomainError\(\s*'/.test(line) ||
          /super\(\s*'(invalid|unauthenticated|forbidden|not-found|conflict|precondition-failed|rate-limited|unavailable)'/.test(
            line,
          )
        )
          offenders.push(`${file}:${i + 1}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
