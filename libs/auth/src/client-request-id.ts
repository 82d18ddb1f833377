import type { IncomingHttpHeaders } from 'node:http';

const SAFE = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The caller's `X-Request-Id`, kept only as a separately labelled client correlation id
 * (`clientRequestId` in the request log and in access events) when it is a plain token of 8 to
 * 64 `[A-Za-z0-9._-]`; else none. Never Harbour's request id: a caller could forge that.
 */
export function clientRequestId(headers: IncomingHttpHeaders): string | null {
  const given = headers['x-request-id'];
  return typeof given === 'string' && SAFE.test(given) ? given : null;
}
