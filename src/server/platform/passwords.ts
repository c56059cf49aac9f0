import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user is unknown, so that timing does not reveal usernames. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('decoy-password-never-valid');
  return decoy;
}

export const PASSWORD_RULE = 'at least 10 characters';
export function passwordProblem(password: string): string | null {
  return password.length >= 10 && password.length <= 256
    ? null
    : `The password must be ${PASSWORD_RULE} (and at most 256).`;
}
