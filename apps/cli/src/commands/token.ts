import { DEV_TOKEN_MAX_TTL_SECONDS, DevKeys, StaffDirectory } from '@harbour/auth';
import { CLOCK, type Clock, HarbourConfig, loadConfig } from '@harbour/kernel';
import { type CliCommand, printJson, withHarbour } from '../run.js';

export const DEFAULT_TOKEN_TTL_SECONDS = 900;

/**
 * `harbour token --user <id> [--ttl <seconds>]`: a short-lived token signed with the development
 * keys, for calling a local API with curl. Refused unless HARBOUR_DEV_KEYS is on, checked before
 * anything boots: a deployment that trusts an identity provider must not mint tokens itself.
 */
export async function token(options: { user: string; ttl?: string }): Promise<number> {
  if (!loadConfig(process.env).HARBOUR_DEV_KEYS) {
    console.error(
      'harbour token: refused: HARBOUR_DEV_KEYS is off. Development tokens exist only for local development; in a deployment, get a token from your identity provider.',
    );
    return 1;
  }
  const ttl = options.ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : Number(options.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > DEV_TOKEN_MAX_TTL_SECONDS) {
    console.error(`harbour token: --ttl must be a whole number of seconds from 1 to ${DEV_TOKEN_MAX_TTL_SECONDS}`);
    return 1;
  }
  return withHarbour(tokenCommand(options.user, ttl));
}

/** Mint for a staff member as the network knows them now: their agency and roles go into the token. */
export const tokenCommand =
  (userId: string, ttlSeconds: number): CliCommand =>
  async (app) => {
    let staff: StaffDirectory;
    try {
      staff = app.get(StaffDirectory, { strict: false });
    } catch {
      console.error(
        'harbour token: no StaffDirectory is registered in this build (the network context is not wired into the CLI)',
      );
      return 1;
    }
    const standing = await staff.standing(userId);
    if (!standing) {
      console.error(`harbour token: no staff member has user id "${userId}"`);
      return 1;
    }
    if (!standing.active) {
      console.error(`harbour token: staff member "${userId}" is deactivated; the API would refuse the token`);
      return 1;
    }
    const devKeys = new DevKeys(app.get(HarbourConfig), app.get<Clock>(CLOCK), (warning) => console.error(warning));
    const accessToken = await devKeys.mintDevToken({
      userId,
      agencyId: standing.agencyId,
      roles: standing.roles,
      ttlSeconds,
    });
    // The shape of an OAuth 2.0 token response, so scripts can treat it like one.
    printJson({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      user_id: userId,
      agency_id: standing.agencyId,
      roles: standing.roles,
    });
    return 0;
  };
