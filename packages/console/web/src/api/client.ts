/**
 * The console's client of the Hygie API: JSON over fetch, the session token in the tab's
 * sessionStorage (closed with the tab; never in localStorage, which outlives it), errors as
 * `ApiError` carrying the platform's stable code (`HYG_…`) so pages can say what went wrong in
 * words (`errors.ts`).
 */

const TOKEN_KEY = 'hygie.session';

/** An error answered by the API (or the network failing). */
export class ApiError extends Error {
  constructor(
    /** Stable error code: `HYG_…`, or `NETWORK` when the server could not be reached. */
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The stored session token, if any. */
export function sessionToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Stores (or clears, with null) the session token. */
export function setSessionToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

type Query = Record<string, string | number | boolean | undefined | null>;

function url(path: string, query?: Query): string {
  if (query === undefined) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s === '' ? path : `${path}?${s}`;
}

async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; token?: string | null } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.token === undefined ? sessionToken() : options.token;
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url(path, options.query), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (e) {
    throw new ApiError('NETWORK', e instanceof Error ? e.message : String(e), 0);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (!res.ok) {
    const body = (json ?? {}) as {
      code?: string;
      message?: string;
      details?: Record<string, unknown>;
    };
    throw new ApiError(
      body.code ?? `HTTP_${res.status}`,
      body.message ?? res.statusText,
      res.status,
      body.details ?? {},
    );
  }
  return json as T;
}

/** The API, one function per method. */
export const api = {
  get: <T>(path: string, query?: Query): Promise<T> =>
    request<T>('GET', path, query !== undefined ? { query } : {}),
  post: <T>(path: string, body: unknown = {}): Promise<T> => request<T>('POST', path, { body }),
  put: <T>(path: string, body: unknown = {}): Promise<T> => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown = {}): Promise<T> => request<T>('PATCH', path, { body }),
  delete: <T>(path: string): Promise<T> => request<T>('DELETE', path),
  /** A call with an explicit token (a citizen's session, kept apart from an account's). */
  withToken: <T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> =>
    request<T>(method, path, { token, ...(body !== undefined ? { body } : {}) }),
};

/**
 * Downloads a file the API serves (a release) with the session token — a plain link would not
 * carry it — and hands it to the browser under the server's file name.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const token = sessionToken();
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    let body: { code?: string; message?: string } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      body = {};
    }
    throw new ApiError(
      body.code ?? `HTTP_${res.status}`,
      body.message ?? res.statusText,
      res.status,
    );
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(href);
}
