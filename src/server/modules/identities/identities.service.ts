import { CLASSIFICATIONS, type Classification } from '../../../domain/marking.js';
import { ROLES, type Role } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { Problem, problems } from '../../platform/errors.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from '../../platform/passwords.js';
import { newSecret, sha256 } from '../../platform/tokens.js';
import { identitiesStore as store, toViewer } from './identities.store.js';

export const LOCKOUT = { maxFailures: 5, minutes: 15 } as const;

export interface Session {
  token: string;
  csrf: string;
  expiresAt: Date;
  viewer: Viewer;
}

export interface NewUser {
  username: string;
  displayName?: string;
  organisation: string;
  roles: string[];
  clearance: string;
  caveats?: string[];
  password: string;
}

export function identitiesService(db: Db, sessionTtlHours: number) {
  return {
    async login(username: string, password: string): Promise<Session> {
      const user = await store.findUserByName(db.app, username);
      if (!user) {
        await verifyPassword(await decoyHash(), password);
        throw new Problem(
          401,
          'bad-credentials',
          'Wrong username or password',
          'Check the username and password.',
        );
      }
      if (user.locked_until && user.locked_until > new Date()) {
        throw problems.locked(
          `Too many failed logins; try again after ${user.locked_until.toISOString()} or ask an administrator to reset the password.`,
        );
      }
      // Counted as a failure before the slow verification, atomically with the lock check, so that
      // concurrent guesses cannot all slip past the lockout; a right password resets the count.
      if (!(await store.claimLoginAttempt(db.app, user.id, LOCKOUT.maxFailures, LOCKOUT.minutes))) {
        const until = (await store.findUserById(db.app, user.id))?.locked_until;
        throw problems.locked(
          `Too many failed logins; try again after ${until?.toISOString() ?? 'a while'} or ask an administrator to reset the password.`,
        );
      }
      const ok = await verifyPassword(user.password_hash, password);
      if (!ok) {
        throw new Problem(
          401,
          'bad-credentials',
          'Wrong username or password',
          'Check the username and password.',
        );
      }
      await store.recordGoodLogin(db.app, user.id);
      if (user.disabled) throw problems.forbidden('This account is disabled; ask an administrator.');
      const token = newSecret('cs');
      const csrf = newSecret('csrf');
      const expiresAt = new Date(Date.now() + sessionTtlHours * 3600_000);
      await store.createSession(db.app, { idHash: sha256(token), userId: user.id, csrf, expiresAt });
      return { token, csrf, expiresAt, viewer: toViewer(user) };
    },

    async viewerForSession(token: string): Promise<{ viewer: Viewer; csrf: string } | null> {
      const s = await store.findSession(db.app, sha256(token));
      if (!s || s.user.disabled) return null;
      return { viewer: toViewer(s.user), csrf: s.csrf };
    },

    async viewerForToken(token: string): Promise<Viewer | null> {
      const user = await store.findToken(db.app, sha256(token));
      return user && !user.disabled ? toViewer(user) : null;
    },

    logout(token: string): Promise<void> {
      return store.deleteSession(db.app, sha256(token));
    },

    async createToken(viewer: Viewer, name: string) {
      const token = newSecret('ct');
      const row = await store.createToken(db.app, viewer.userId, name, sha256(token));
      return { id: row.id, name, token, createdAt: row.created_at.toISOString() };
    },

    listTokens(viewer: Viewer) {
      return store.listTokens(db.app, viewer.userId);
    },

    async revokeToken(viewer: Viewer, id: string): Promise<void> {
      if (!(await store.revokeToken(db.app, viewer.userId, id))) throw problems.notFound(`Token ${id}`);
    },

    listOrganisations() {
      return store.listOrganisations(db.app);
    },

    async listUsers() {
      return (await store.listUsers(db.app)).map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        organisation: u.organisation_code,
        roles: u.roles,
        clearance: CLASSIFICATIONS[u.clearance],
        disabled: u.disabled,
        locked: !!u.locked_until && u.locked_until > new Date(),
      }));
    },

    async addUser(u: NewUser): Promise<string> {
      const username = u.username.toLowerCase();
      if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username)) {
        throw problems.badRequest(
          'The username must be 2–64 characters: letters, digits, dot, dash, underscore.',
        );
      }
      const bad = u.roles.filter((r) => !ROLES.includes(r as Role));
      if (bad.length)
        throw problems.badRequest(`Unknown role(s) ${bad.join(', ')}; roles are ${ROLES.join(', ')}.`);
      const level = CLASSIFICATIONS.indexOf(u.clearance as Classification);
      if (level < 0)
        throw problems.badRequest(
          `Unknown clearance ${u.clearance}; use one of ${CLASSIFICATIONS.join(', ')}.`,
        );
      const pw = passwordProblem(u.password);
      if (pw) throw problems.badRequest(pw);
      const org = await store.findOrganisation(db.app, u.organisation);
      if (!org) throw problems.badRequest(`Unknown organisation ${u.organisation}.`);
      if (await store.findUserByName(db.app, username))
        throw problems.conflict(`The user ${username} exists already.`);
      return store.insertUser(db.app, {
        username,
        displayName: u.displayName ?? username,
        organisationId: org.id,
        roles: u.roles,
        clearance: level,
        caveats: u.caveats ?? [],
        passwordHash: await hashPassword(u.password),
      });
    },

    async setDisabled(username: string, disabled: boolean): Promise<void> {
      const user = await store.findUserByName(db.app, username);
      if (!user) throw problems.notFound(`User ${username}`);
      await store.setDisabled(db.app, user.id, disabled);
      if (disabled) await store.deleteSessionsOf(db.app, user.id);
    },

    async resetPassword(username: string, password: string): Promise<void> {
      const pw = passwordProblem(password);
      if (pw) throw problems.badRequest(pw);
      const user = await store.findUserByName(db.app, username);
      if (!user) throw problems.notFound(`User ${username}`);
      await store.setPassword(db.app, user.id, await hashPassword(password));
      await store.deleteSessionsOf(db.app, user.id);
    },
  };
}
export type IdentitiesService = ReturnType<typeof identitiesService>;
