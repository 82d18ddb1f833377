import type { IncomingMessage, ServerResponse } from 'node:http';
import { newId } from '@harbour/kernel';

const SAFE = /^[A-Za-z0-9._-]{8,64}$/;

/** Use the caller's X-Request-Id when it is a plain token, else make one; echo it back. */
export function requestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id; // already assigned earlier in the pipeline
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE.test(given) ? given : newId();
  res.setHeader('X-Request-Id', id);
  return id;
}
