/**
 * Login attempts per client address in a sliding window, in memory: it slows down password
 * guessing from one address; the per-account lockout in the database covers distributed guessing.
 */
export class LoginLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly max = 20,
    private readonly windowMs = 60_000,
  ) {}

  /** Records an attempt; returns 0 when allowed, else the milliseconds to wait. */
  check(ip: string, now = Date.now()): number {
    const recent = (this.attempts.get(ip) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.max) {
      this.attempts.set(ip, recent);
      return this.windowMs - (now - recent[0]!);
    }
    recent.push(now);
    this.attempts.set(ip, recent);
    if (this.attempts.size > 10_000) this.prune(now);
    return 0;
  }

  success(ip: string): void {
    this.attempts.delete(ip);
  }

  private prune(now: number): void {
    for (const [ip, times] of this.attempts)
      if (times.every((t) => now - t >= this.windowMs)) this.attempts.delete(ip);
  }
}
