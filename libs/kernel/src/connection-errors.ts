/**
 * Whether an error means "the database cannot be reached right now" rather than a bug: the
 * socket is refused or gone, the server is shutting down or starting, the connection broke.
 * Such a failure is retried (projections) or answered 503 (requests), never a 500.
 */
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);
// SQLSTATE: class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now).
const SQLSTATE = /^(08...|57P0[1-3])$/;
// pg's own messages for a broken connection carry no data of ours (checked here, never logged).
const PG_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Connection ended|timeout exceeded when trying to connect|Client was closed)/;

// TypeORM's names for a query on a connection that broke under it (seen after a kill -9).
const ORM_NAMES = new Set([
  'QueryRunnerProviderAlreadyReleasedError',
  'QueryRunnerAlreadyReleasedError',
  'ConnectionIsNotSetError',
]);

export function isConnectionError(error: unknown, depth = 0): boolean {
  // Duck-typed, not `instanceof Error`: socket errors may come from another realm (jest's VM).
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as { name?: unknown; code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.name === 'string' && ORM_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && (NODE_CODES.has(e.code) || SQLSTATE.test(e.code))) return true;
  if (typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return true;
  return isConnectionError(e.driverError, depth + 1) || isConnectionError(e.cause, depth + 1);
}
