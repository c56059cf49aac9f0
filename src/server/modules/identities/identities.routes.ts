import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CLASSIFICATIONS } from '../../../domain/marking.js';
import { ROLES } from '../../../domain/roles.js';
import { requirePermission, requireViewer } from '../../platform/auth.js';
import type { IdentitiesService } from './identities.service.js';

export const identitiesRoutes =
  (identities: IdentitiesService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['identities'];
    app.get('/organisations', { schema: { tags, summary: 'The organisations of the centre' } }, (req) => {
      requireViewer(req);
      return identities.listOrganisations();
    });

    app.get('/users', { schema: { tags, summary: 'Users (administrators)' } }, (req) => {
      requirePermission(req, 'users:manage');
      return identities.listUsers();
    });

    app.post(
      '/users',
      {
        schema: {
          tags,
          summary: 'Add a user (administrators)',
          body: Type.Object(
            {
              username: Type.String({ minLength: 2, maxLength: 64 }),
              displayName: Type.Optional(Type.String({ maxLength: 200 })),
              organisation: Type.String({ minLength: 2, maxLength: 24 }),
              roles: Type.Array(Type.Enum(ROLES), { minItems: 1 }),
              clearance: Type.Enum(CLASSIFICATIONS),
              caveats: Type.Optional(Type.Array(Type.String({ maxLength: 24 }), { maxItems: 16 })),
              password: Type.String({ minLength: 10, maxLength: 256 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        requirePermission(req, 'users:manage');
        const id = await identities.addUser(req.body);
        return reply.code(201).send({ id, username: req.body.username.toLowerCase() });
      },
    );

    app.post(
      '/users/:username/disable',
      {
        schema: {
          tags,
          summary: 'Disable a user and end their sessions',
          params: Type.Object({ username: Type.String({ maxLength: 64 }) }),
        },
      },
      async (req, reply) => {
        requirePermission(req, 'users:manage');
        await identities.setDisabled(req.params.username, true);
        return reply.code(204).send();
      },
    );
  };
