import type { IncomingMessage } from 'node:http';
import { newId } from '@harbour/kernel';

const SAFE = /^[A-Za-z0-9._-]{8,64}$/;

/** The caller's X-Request-Id when it is a plain token, else a new one (echoed back by configure-app). */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE.test(given) ? given : newId();
}
