/**
 * The console's only way to Harbour: the same /v1 HTTP API every client uses. The session is an
 * HttpOnly cookie the browser sends by itself (same origin); every state change carries the
 * session's CSRF token in `X-CSRF-Token`. The console holds no token of its own.
 */

/** A problem+json answer (RFC 9457) as the API sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  errors?: { field: string; problem: string }[];
  [extension: string]: unknown;
}

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  /** Query parameters; arrays repeat the name. Undefined and '' are left out. */
  query?: Record<string, string | number | boolean | (string | number)[] | undefined>;
  /** Writes that create something send one, so a retried click never does it twice. */
  idempotencyKey?: string;
  /** `text/csv`, `image/svg+xml`, `text/html`: the body comes back as text. */
  accept?: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Called on 401 (session ended or idle timeout): the shell shows the sign-in page. */
let onSignedOut: () => void = () => undefined;
/** Called on every request (the server's idle timer restarts with each one). */
let onActivity: () => void = () => undefined;
let csrfToken = '';

export function configureApi(options: { csrfToken: string; onSignedOut: () => void; onActivity?: () => void }): void {
  csrfToken = options.csrfToken;
  onSignedOut = options.onSignedOut;
  onActivity = options.onActivity ?? (() => undefined);
}

function url(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === '') continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, String(one));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  onActivity();
  const response = await fetch(url(path, options.query), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok) {
    if (response.status === 401) onSignedOut();
    const problem: Problem = type.includes('json')
      ? ((await response.json()) as Problem)
      : {
          type: 'about:blank',
          title: response.statusText,
          status: response.status,
          detail: '',
          code: `http-${response.status}`,
        };
    throw new ApiProblem(problem);
  }
  const parsed: unknown =
    response.status === 204 ? undefined : type.includes('json') ? await response.json() : await response.text();
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * A read of something this user has just written: read models trail the log by a moment, so a
 * 404 is retried for about 3 s before it counts.
 */
export async function readOwnWrite<T>(path: string, options?: RequestOptions): Promise<ApiResponse<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request<T>('GET', path, undefined, options);
    } catch (error) {
      if (!(error instanceof ApiProblem && error.status === 404) || attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}
