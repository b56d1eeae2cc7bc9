/**
 * What the harness reads about a process from /proc: CPU time, resident memory, open-file
 * limit. Read from outside the process under test, so measuring costs it nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** USER_HZ, the unit of utime/stime in /proc/PID/stat (100 on every mainstream Linux). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond !== undefined) return ticksPerSecond;
  try {
    const reported = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isInteger(reported) && reported > 0 ? reported : 100;
  } catch {
    ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** utime + stime of a process in milliseconds, or undefined when it is gone. */
export function readCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1000) / clockTicksPerSecond();
}

/**
 * Time the process's main thread spent runnable but waiting for a CPU, in milliseconds
 * (/proc/PID/schedstat, field 2). Growth during a measurement means other work shared the core.
 */
export function readCpuWaitMs(pid: number | 'self'): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    const waitNs = Number(fields[1]);
    return Number.isFinite(waitNs) ? waitNs / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

function statusField(pid: number | 'self', field: string): string | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const line = status.split('\n').find((candidate) => candidate.startsWith(`${field}:`));
    return line?.slice(field.length + 1).trim();
  } catch {
    return undefined;
  }
}

/** Resident set size in KiB, or undefined when the process is gone. */
export function readRssKiB(pid: number): number | undefined {
  const value = statusField(pid, 'VmRSS');
  const kib = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(kib) ? kib : undefined;
}

/** The CPUs a process may run on, as the kernel prints them ("0", "0-1"). */
export function readAllowedCpus(pid: number | 'self'): string | undefined {
  return statusField(pid, 'Cpus_allowed_list');
}

/** The soft limit on open files of a process (0 when it cannot be read). */
export function readOpenFileLimit(pid: number | 'self' = 'self'): number {
  try {
    const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
    const line = limits.split('\n').find((candidate) => candidate.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    if (soft === 'unlimited') return Number.MAX_SAFE_INTEGER;
    const value = Number(soft);
    return Number.isSafeInteger(value) ? value : 0;
  } catch {
    return 0;
  }
}
