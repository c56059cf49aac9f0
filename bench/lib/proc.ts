/** CPU and memory of local processes from /proc (Linux), for benchmarks that share the machine. */
import fs from 'node:fs';

const TICK = 100; // USER_HZ on Linux

function stat(pid: number): { ppid: number; cpuSeconds: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces, in parentheses.
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpuSeconds: (Number(f[11]) + Number(f[12])) / TICK };
  } catch {
    return null;
  }
}

/** The PostgreSQL postmaster serving a data folder (its command line names the folder). */
export function postmasterPid(dataDir: string): number | null {
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.includes('postgres') && cmd.includes(dataDir)) return Number(e);
    } catch {
      // gone
    }
  }
  return null;
}

/**
 * CPU seconds used so far by a process and its direct children (a postmaster and its backends).
 * Children that already exited are not counted: backends of a pool live as long as the pool.
 */
export function treeCpuSeconds(pid: number): number {
  let total = stat(pid)?.cpuSeconds ?? 0;
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const s = stat(Number(e));
    if (s && s.ppid === pid) total += s.cpuSeconds;
  }
  return total;
}
