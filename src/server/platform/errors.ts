import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** RFC 9457 problem details with a stable `code`; `type` is derived from it. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const problems = {
  badRequest: (detail: string, extra?: Record<string, unknown>) =>
    new Problem(400, 'bad-request', 'Bad request', detail, extra),
  invalidGeometry: (detail: string, errors: unknown) =>
    new Problem(400, 'invalid-geometry', 'Invalid geometry', detail, { errors }),
  unauthenticated: (detail = 'Log in or send an API token.') =>
    new Problem(401, 'unauthenticated', 'Not authenticated', detail),
  forbidden: (detail: string) => new Problem(403, 'forbidden', 'Forbidden', detail),
  csrf: () =>
    new Problem(403, 'csrf', 'Missing or wrong CSRF token', 'Send the X-CSRF-Token header given at login.'),
  notFound: (what: string) =>
    new Problem(404, 'not-found', 'Not found', `${what} does not exist or is not released to you.`),
  conflict: (detail: string, extra?: Record<string, unknown>) =>
    new Problem(409, 'conflict', 'Conflict', detail, extra),
  locked: (detail: string) => new Problem(423, 'account-locked', 'Account locked', detail),
  tooMany: (detail: string) => new Problem(429, 'rate-limited', 'Too many requests', detail),
  unavailable: (detail: string) => new Problem(503, 'unavailable', 'Service unavailable', detail),
};

export function sendProblem(reply: FastifyReply, req: FastifyRequest, p: Problem): FastifyReply {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: `https://concord.invalid/problems/${p.code}`,
      title: p.title,
      status: p.status,
      code: p.code,
      detail: p.detail,
      instance: req.url.split('?')[0],
      requestId: req.id,
      ...p.extra,
    });
}

/** Maps Fastify's own errors (validation, body size, JSON syntax) to problems; never leaks a stack. */
function fromFastify(err: FastifyError): Problem {
  if (err.validation) {
    const errors = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath ?? ''}`,
      message: `${v.message ?? 'is invalid'}${typeof v.params?.additionalProperty === 'string' ? `: ${v.params.additionalProperty}` : ''}`,
    }));
    const first = errors[0];
    return new Problem(
      400,
      'validation',
      'Invalid request',
      first ? `${first.path} ${first.message}` : err.message,
      { errors },
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'body-too-large', 'Request body too large', err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'unsupported-media-type', 'Unsupported media type', err.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem(400, 'invalid-json', 'Invalid JSON', 'The body is empty but declared as JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem(400, 'bad-request', 'Bad request', err.message);
    // A time outside PostgreSQL's range: the client's input, whatever path let it through.
    case '22008':
      return new Problem(
        400,
        'bad-request',
        'Bad request',
        'A date or time is out of the range that can be stored.',
      );
    // PostgreSQL cannot store U+0000 in text or jsonb; valid JSON may carry it, so it is the client's input.
    case '22021':
    case '22P05':
      return new Problem(
        400,
        'bad-request',
        'Bad request',
        'The request holds a character that cannot be stored (U+0000, NUL).',
      );
  }
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new Problem(400, 'invalid-json', 'Invalid JSON', `The body is not valid JSON: ${err.message}`);
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new Problem(err.statusCode, 'bad-request', 'Bad request', err.message);
  }
  return new Problem(
    500,
    'internal',
    'Internal error',
    'Something went wrong; the request id identifies it in the log.',
  );
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Problem, req, reply) => {
    const p = err instanceof Problem ? err : fromFastify(err);
    if (p.status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: p.code, status: p.status }, p.title);
    return sendProblem(reply, req, p);
  });
}

/**
 * Optimistic locking: an edit names the version it was made on. When someone changed the record
 * since, 409 with the current version, so the client reloads rather than overwrite their change.
 */
export function assertVersion(
  subject: string,
  current: number,
  seen: number,
  extra: Record<string, unknown> = {},
): void {
  if (current !== seen)
    throw problems.conflict(
      `${subject} is at version ${current}, not ${seen}; someone else changed it. Reload it.`,
      { currentVersion: current, ...extra },
    );
}
