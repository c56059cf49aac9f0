import { t } from '../i18n/t';

/** RFC 9457 problem details as the server sends them. */
export interface Problem {
  title: string;
  detail?: string;
  code?: string;
  status: number;
  /** Per-field or per-feature reasons, when the server gives them (validation, geometry, import). */
  errors?: unknown;
  /** On a 409 conflict: the version the record is at now. */
  currentVersion?: number;
}

/** One reason a request was refused, as `errors[]` lists them. */
export interface FieldProblem {
  path: string;
  message: string;
}

function isFieldProblem(v: unknown): v is FieldProblem {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { path?: unknown }).path === 'string' &&
    typeof (v as { message?: unknown }).message === 'string'
  );
}

/** The `errors[]` of a failed call when they are field problems; empty otherwise. */
export function fieldProblems(e: unknown): FieldProblem[] {
  const list = e instanceof ApiError ? e.problem?.errors : undefined;
  return Array.isArray(list) ? list.filter(isFieldProblem) : [];
}

/** A failed API call; `message` is the server's `detail` when it gave one, ready to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(
      problem?.detail ??
        problem?.title ??
        (status === 0 ? t('error.network') : t('error.unexpected', { status })),
    );
  }
}

const BASE = '/api/v1';

/** The CSRF token of the current session; every cookie-authenticated write must send it. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone, so the shell can return to the login page. */
let onUnauthenticated: (() => void) | null = null;

export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

function isProblem(v: unknown): v is Problem {
  return (
    typeof v === 'object' && v !== null && 'title' in v && typeof (v as { title: unknown }).title === 'string'
  );
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A FormData body (a file upload) sets its own multipart content type with the boundary.
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.quiet401) onUnauthenticated?.();
    throw new ApiError(res.status, isProblem(data) ? data : null);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, opts?: { quiet401?: boolean }) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: { quiet401?: boolean }) =>
    request<T>('POST', path, body, opts),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, form),
  delete: (path: string) => request<void>('DELETE', path),
};
