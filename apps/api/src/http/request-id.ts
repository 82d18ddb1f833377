import type { IncomingMessage } from 'node:http';
import { clientRequestId as fromHeaders } from '@harbour/auth';
import { newId } from '@harbour/kernel';

/**
 * Harbour's own id for every request, never the caller's: access events carry it, and a privacy
 * officer must be able to trust the correlation (a caller-chosen id could forge it).
 */
export const requestId = (_req: IncomingMessage): string => newId();

/**
 * The caller's `X-Request-Id`, kept only as a separately labelled client correlation id (the
 * request log's `clientRequestId`) when it is a plain token of 8 to 64 `[A-Za-z0-9._-]`; else none.
 */
export const clientRequestId = (req: IncomingMessage): string | null => fromHeaders(req.headers);
