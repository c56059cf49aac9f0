import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { formatMarking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import { requireViewer, SESSION_COOKIE } from '../../platform/auth.js';
import { Problem, problems } from '../../platform/errors.js';
import type { IdentitiesService } from '../identities/identities.service.js';
import type { LoginLimiter } from './login-limiter.js';

function me(v: Viewer, csrf?: string) {
  return {
    id: v.userId,
    username: v.username,
    displayName: v.displayName,
    organisation: v.organisationCode,
    nation: v.nation,
    roles: v.roles,
    clearance: v.clearance,
    caveats: v.caveats,
    principals: v.principals,
    highestMarking: formatMarking({ classification: v.clearance, releasableTo: [...v.principals] }),
    ...(csrf ? { csrfToken: csrf } : {}),
  };
}

export const authRoutes =
  (identities: IdentitiesService, limiter: LoginLimiter, secureCookies: boolean): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['auth'];
    app.post(
      '/auth/login',
      {
        schema: {
          tags,
          summary: 'Log in; sets an HttpOnly session cookie and returns the CSRF token for writes',
          body: Type.Object({
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          }),
        },
      },
      async (req, reply) => {
        const wait = limiter.check(req.ip);
        if (wait > 0) {
          reply.header('retry-after', Math.ceil(wait / 1000));
          throw problems.tooMany(
            `Too many login attempts from this address; wait ${Math.ceil(wait / 1000)} s.`,
          );
        }
        const s = await identities.login(req.body.username, req.body.password).catch((e: unknown) => {
          if (e instanceof Problem && e.status === 401) limiter.failure(req.ip);
          throw e;
        });
        reply.setCookie(SESSION_COOKIE, s.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: secureCookies,
          expires: s.expiresAt,
        });
        return me(s.viewer, s.csrf);
      },
    );

    app.post('/auth/logout', { schema: { tags, summary: 'End the session' } }, async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await identities.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    });

    app.get(
      '/auth/me',
      { schema: { tags, summary: 'Who is logged in (and the CSRF token for this session)' } },
      async (req) => {
        const v = requireViewer(req);
        const token = req.cookies[SESSION_COOKIE];
        const s = req.authVia === 'session' && token ? await identities.viewerForSession(token) : null;
        return me(v, s?.csrf);
      },
    );

    app.get('/auth/tokens', { schema: { tags, summary: 'Your API tokens (without their secrets)' } }, (req) =>
      identities.listTokens(requireViewer(req)),
    );

    app.post(
      '/auth/tokens',
      {
        schema: {
          tags,
          summary: 'Create an API token for a machine client; the secret is shown once',
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
        },
      },
      async (req, reply) =>
        reply.code(201).send(await identities.createToken(requireViewer(req), req.body.name)),
    );

    app.delete(
      '/auth/tokens/:id',
      {
        schema: {
          tags,
          summary: 'Revoke an API token',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        },
      },
      async (req, reply) => {
        await identities.revokeToken(requireViewer(req), req.params.id);
        return reply.code(204).send();
      },
    );
  };
