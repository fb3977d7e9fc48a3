/**
 * What the kernel says a process uses, read from procfs (no sampling agent in the process):
 * CPU time as utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks), memory as
 * VmRSS (now) and VmHWM (peak RSS since start) of /proc/<pid>/status.
 *
 * @see https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 * @see https://man7.org/linux/man-pages/man5/proc_pid_status.5.html
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** sysconf(_SC_CLK_TCK): the unit of utime/stime (100 on every Linux this runs on, but asked). */
export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is parenthesised and may hold spaces: count after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 3 (state) is fields[0], so field n is fields[n - 3].
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return (utime + stime) / CLOCK_TICKS;
}

/** Resident set now and its high-water mark, in KiB. */
export function memoryKiB(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1]);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

export interface ProcWindow {
  seconds: number;
  /** CPU used over the window ÷ its wall time, in millicores (1000 = one core busy). */
  millicores: number;
  avgRssMiB: number;
  peakRssMiB: number;
}

/**
 * Samples a process's RSS every `everyMs` from start() to stop(); CPU from the difference of
 * its CPU seconds between the two.
 */
export function watchProcess(pid: number, everyMs = 250) {
  let cpu0 = 0;
  let t0 = 0;
  const rss: number[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    start(): void {
      cpu0 = cpuSeconds(pid);
      t0 = performance.now();
      rss.push(memoryKiB(pid).rss);
      timer = setInterval(() => rss.push(memoryKiB(pid).rss), everyMs);
    },
    stop(): ProcWindow {
      clearInterval(timer);
      const seconds = (performance.now() - t0) / 1000;
      rss.push(memoryKiB(pid).rss);
      const cpu = cpuSeconds(pid) - cpu0;
      return {
        seconds,
        millicores: Math.round((cpu / seconds) * 1000),
        avgRssMiB: rss.reduce((s, v) => s + v, 0) / rss.length / 1024,
        peakRssMiB: Math.max(...rss) / 1024,
      };
    },
  };
}
