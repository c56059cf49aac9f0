import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { CLASSIFICATIONS, type Classification } from '../../../domain/marking.js';
import type { Role } from '../../../domain/roles.js';
import { principalsOf, type Viewer } from '../../../domain/viewer.js';
import type { Tx } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

type Q = Kysely<Database> | Tx;

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  organisation_id: string;
  organisation_code: string;
  organisation_name: string;
  nation: string | null;
  roles: string[];
  clearance: number;
  caveats: string[];
  password_hash: string | null;
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
}

function userQuery(q: Q) {
  return q
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.organisation_id',
      'o.code as organisation_code',
      'o.name as organisation_name',
      'o.nation',
      'u.roles',
      'u.clearance',
      'u.caveats',
      'u.password_hash',
      'u.disabled',
      'u.failed_logins',
      'u.locked_until',
    ]);
}

export function toViewer(u: UserRow): Viewer {
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    organisationId: u.organisation_id,
    organisationCode: u.organisation_code,
    nation: u.nation,
    roles: u.roles as Role[],
    clearance: CLASSIFICATIONS[u.clearance] as Classification,
    principals: principalsOf(u.nation, u.organisation_code),
    caveats: u.caveats,
  };
}

export const identitiesStore = {
  findUserByName(q: Q, username: string): Promise<UserRow | undefined> {
    return userQuery(q).where('u.username', '=', username.toLowerCase()).executeTakeFirst();
  },

  findUserById(q: Q, id: string): Promise<UserRow | undefined> {
    return userQuery(q).where('u.id', '=', id).executeTakeFirst();
  },

  listUsers(q: Q): Promise<UserRow[]> {
    return userQuery(q).orderBy('u.username').execute();
  },

  /** Counts a login attempt as failed unless the account is locked; false when it is locked. */
  async claimLoginAttempt(q: Q, userId: string, maxFailures: number, lockMinutes: number): Promise<boolean> {
    const r = await q
      .updateTable('users')
      .set({
        failed_logins: sql`failed_logins + 1`,
        locked_until: sql`CASE WHEN failed_logins + 1 >= ${maxFailures} THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END`,
      })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  async recordGoodLogin(q: Q, userId: string): Promise<void> {
    await q
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', userId)
      .execute();
  },

  async createSession(
    q: Q,
    s: { idHash: string; userId: string; csrf: string; expiresAt: Date },
  ): Promise<void> {
    await q
      .insertInto('sessions')
      .values({ id_hash: s.idHash, user_id: s.userId, csrf_token: s.csrf, expires_at: s.expiresAt })
      .execute();
  },

  async findSession(q: Q, idHash: string): Promise<{ user: UserRow; csrf: string } | undefined> {
    const s = await q
      .selectFrom('sessions')
      .select(['user_id', 'csrf_token'])
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (!s) return undefined;
    const user = await identitiesStore.findUserById(q, s.user_id);
    return user ? { user, csrf: s.csrf_token } : undefined;
  },

  async deleteSession(q: Q, idHash: string): Promise<void> {
    await q.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  },

  async deleteSessionsOf(q: Q, userId: string): Promise<void> {
    await q.deleteFrom('sessions').where('user_id', '=', userId).execute();
  },

  async findToken(q: Q, tokenHash: string): Promise<UserRow | undefined> {
    const t = await q
      .updateTable('api_tokens')
      .set({ last_used_at: sql`now()` })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .returning('user_id')
      .executeTakeFirst();
    return t ? identitiesStore.findUserById(q, t.user_id) : undefined;
  },

  async createToken(
    q: Q,
    userId: string,
    name: string,
    tokenHash: string,
  ): Promise<{ id: string; created_at: Date }> {
    return q
      .insertInto('api_tokens')
      .values({ user_id: userId, name, token_hash: tokenHash })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow() as Promise<{ id: string; created_at: Date }>;
  },

  listTokens(q: Q, userId: string) {
    return q
      .selectFrom('api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
  },

  async revokeToken(q: Q, userId: string, id: string): Promise<boolean> {
    const r = await q
      .updateTable('api_tokens')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  listOrganisations(q: Q) {
    return q
      .selectFrom('organisations')
      .select(['id', 'code', 'name', 'kind', 'nation'])
      .orderBy('code')
      .execute();
  },

  findOrganisation(q: Q, code: string) {
    return q
      .selectFrom('organisations')
      .select(['id', 'code', 'name', 'kind', 'nation'])
      .where('code', '=', code)
      .executeTakeFirst();
  },

  async upsertOrganisation(
    q: Q,
    o: { code: string; name: string; kind: string; nation: string | null },
  ): Promise<string> {
    const r = await q
      .insertInto('organisations')
      .values(o)
      .onConflict((c) => c.column('code').doUpdateSet({ name: o.name, kind: o.kind, nation: o.nation }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  },

  async insertUser(
    q: Q,
    u: {
      username: string;
      displayName: string;
      organisationId: string;
      roles: string[];
      clearance: number;
      caveats: string[];
      passwordHash: string;
    },
  ): Promise<string> {
    const r = await q
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        organisation_id: u.organisationId,
        roles: u.roles,
        clearance: u.clearance,
        caveats: u.caveats,
        password_hash: u.passwordHash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  },

  async setDisabled(q: Q, userId: string, disabled: boolean): Promise<void> {
    await q.updateTable('users').set({ disabled, updated_at: sql`now()` }).where('id', '=', userId).execute();
  },

  async setPassword(q: Q, userId: string, passwordHash: string): Promise<void> {
    await q
      .updateTable('users')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: sql`now()` })
      .where('id', '=', userId)
      .execute();
  },
};
