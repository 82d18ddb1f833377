import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, type DynamicModule, Get, Global, Module } from '@nestjs/common';
import { importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import request from 'supertest';
import {
  CaseAccess,
  CurrentPrincipal,
  type Principal,
  Public,
  Roles,
  StaffDirectory,
  type StaffStanding,
} from '@harbour/auth';

/**
 * A StaffDirectory the test controls: a Map of standings read on every call, like the real
 * port must (current state, not a lagging read model). `failing` makes it throw.
 */
export class TestStaffDirectory extends StaffDirectory {
  readonly standings = new Map<string, StaffStanding>();
  failing = false;
  calls = 0;

  async standing(userId: string): Promise<StaffStanding | null> {
    this.calls += 1;
    if (this.failing) throw new Error('directory unreachable: SYNTHETIC-DIRECTORY-SECRET');
    const found = this.standings.get(userId);
    return found ? { ...found, roles: [...found.roles] } : null;
  }

  put(standing: Partial<StaffStanding> & { userId: string }): StaffStanding {
    const full: StaffStanding = {
      agencyId: 'agency-core',
      roles: ['caseworker'],
      active: true,
      agencyStatus: 'active',
      agencyTier: 'core',
      ...standing,
    };
    this.standings.set(full.userId, full);
    return full;
  }

  update(userId: string, change: Partial<StaffStanding>): void {
    this.standings.set(userId, { ...this.standings.get(userId)!, ...change });
  }
}

/** Makes one directory the global StaffDirectory, as the network context's module will. */
@Global()
@Module({})
export class TestStaffModule {
  static with(directory: StaffDirectory): DynamicModule {
    return {
      module: TestStaffModule,
      global: true,
      providers: [{ provide: StaffDirectory, useValue: directory }],
      exports: [StaffDirectory],
    };
  }
}

/** Test-only routes, one per kind of protection. */
@Controller('test-auth')
export class AuthProbeController {
  @Public()
  @Get('public')
  open() {
    return { public: true };
  }

  @Get('plain')
  plain(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Roles('agency-admin')
  @Get('admin')
  admin(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @CaseAccess()
  @Get('cases')
  cases(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
}

/** Every problem response: status, code, problem+json and the request id. */
export function expectProblem(res: request.Response, status: number, code: string): Record<string, unknown> {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: `urn:harbour:problem:${code}`,
    status,
    code,
    requestId: res.headers['x-request-id'],
  });
  return res.body;
}

/** Sign any claims with the app's own development private key (to forge issuer/audience mistakes). */
export async function signWithDevKey(
  dataDir: string,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const jwk = JSON.parse(await readFile(join(dataDir, 'dev-keys.json'), 'utf8')) as JWK;
  const key = await importJWK(jwk, 'EdDSA');
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid, ...header }).sign(key);
}

export const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
