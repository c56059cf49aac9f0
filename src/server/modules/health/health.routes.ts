import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { problems } from '../../platform/errors.js';

export function healthRoutes(db: Db, version: string) {
  return async (app: FastifyInstance) => {
    app.get('/health', { schema: { tags: ['health'], summary: 'The process is serving' } }, () => ({
      status: 'ok',
      version,
    }));
    app.get('/ready', { schema: { tags: ['health'], summary: 'The database answers' } }, async () => {
      try {
        await sql`SELECT 1`.execute(db.app);
      } catch {
        throw problems.unavailable('The database does not answer.');
      }
      return { status: 'ready' };
    });
  };
}
