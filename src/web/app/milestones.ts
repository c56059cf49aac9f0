/**
 * Named moments of the first picture (`concord:` performance marks), each recorded once per page:
 * `npm run bench -- cop` prints them, and the browser's performance panel shows them.
 */
const seen = new Set<string>();

export function milestone(name: string): void {
  if (seen.has(name) || typeof performance?.mark !== 'function') return;
  seen.add(name);
  performance.mark(`concord:${name}`);
}
