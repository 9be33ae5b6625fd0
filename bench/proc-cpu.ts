// CPU time of the workerd processes under `wrangler dev`, read from /proc (Linux only): wrangler dev
// reports no per-request CPU time, so the bench divides the runtime's CPU time during a pass by the
// requests it served. wrangler dev runs two workerd processes: its dev proxy, which listens on the dev
// port and forwards every request, and the one that runs the Worker; they are told apart by which one
// holds the listening socket.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  comm: string;
  processGroup: number;
  cpuMs: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' '); // fields[0] is field 3 of proc(5), "state"
  return {
    comm: text.slice(text.indexOf('(') + 1, close),
    processGroup: Number(fields[2]),
    cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND, // utime + stime
  };
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A: LISTEN
      if (Number.parseInt(cols[1].split(':')[1], 16) === port) inodes.add(cols[9]);
    }
  }
  return inodes;
}

function holdsSocket(pid: number, inodes: Set<string>): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return inodes.has(target.slice('socket:['.length, -1));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

export interface WorkerdProcesses {
  worker: number[];
  proxy: number[];
}

/** The workerd processes in wrangler's process group, split into the dev proxy and the Worker's. */
export function findWorkerd(processGroup: number, devPort: number): WorkerdProcesses {
  const inodes = listeningInodes(devPort);
  const found: WorkerdProcesses = { worker: [], proxy: [] };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (stat?.comm !== 'workerd' || stat.processGroup !== processGroup) continue;
    (holdsSocket(pid, inodes) ? found.proxy : found.worker).push(pid);
  }
  return found;
}

/** Total CPU time (user + system, ms) of these processes so far. */
export function cpuMs(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuMs ?? 0), 0);
}

/**
 * CPU time (ms) the threads of this process have run so far, from the scheduler's own nanosecond
 * accounting (/proc/<pid>/task/<tid>/schedstat, first field): utime+stime above count whole clock ticks
 * (10 ms at CLK_TCK 100), too coarse to split a pass of a few hundred sub-millisecond requests. Threads
 * that have exited are no longer listed, so compare it with cpuMs() over a whole run. null where
 * unreadable (not Linux, or a kernel without schedstats).
 */
export function threadCpuMs(pid: number): number | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let nanoseconds = 0;
  for (const tid of tids) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread exited meanwhile
    }
  }
  return nanoseconds / 1e6;
}
