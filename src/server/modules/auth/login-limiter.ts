/**
 * Failed logins per client address in a sliding window, in memory: it slows down password
 * guessing from one address; the per-account lockout in the database covers distributed guessing.
 * Only failures count, and a success resets nothing, so a valid account cannot clear the count.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 20,
    private readonly windowMs = 60_000,
  ) {}

  /** 0 when the address may try, else the milliseconds to wait. */
  check(ip: string, now = Date.now()): number {
    const recent = this.recent(ip, now);
    return recent.length >= this.max ? this.windowMs - (now - recent[0]!) : 0;
  }

  failure(ip: string, now = Date.now()): void {
    const recent = this.recent(ip, now);
    recent.push(now);
    this.failures.set(ip, recent);
    if (this.failures.size > 10_000) this.prune(now);
  }

  private recent(ip: string, now: number): number[] {
    return (this.failures.get(ip) ?? []).filter((t) => now - t < this.windowMs);
  }

  private prune(now: number): void {
    for (const [ip, times] of this.failures)
      if (times.every((t) => now - t >= this.windowMs)) this.failures.delete(ip);
  }
}
