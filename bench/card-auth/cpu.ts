/**
 * CPU accounting from /proc, for a noisy shared machine: the CPU time the server under test
 * spent (per request, a cost that does not depend on what else runs), the database's, and how
 * many cores other processes (compilers, tests, browsers of whoever shares the machine) and the
 * hypervisor took meanwhile. Ours are this process and its descendants, and the PostgreSQL
 * cluster we started.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Proc {
  ppid: number;
  ticks: number;
  cmdline: string;
}

function processes(): Map<number, Proc> {
  const all = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3, "state"
      all.set(Number(name), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]), // utime + stime
        cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' '),
      });
    } catch {
      // exited meanwhile
    }
  }
  return all;
}

/** The processes matching `isRoot` and their descendants, with their CPU ticks. */
function tree(all: Map<number, Proc>, isRoot: (pid: number, p: Proc) => boolean) {
  const pids = new Set([...all].filter(([pid, p]) => isRoot(pid, p)).map(([pid]) => pid));
  for (let grown = true; grown;) {
    grown = false;
    for (const [pid, p] of all) {
      if (!pids.has(pid) && pids.has(p.ppid)) {
        pids.add(pid);
        grown = true;
      }
    }
  }
  return new Map([...pids].map((pid) => [pid, all.get(pid)!.ticks]));
}

interface Snapshot {
  at: number;
  busy: number;
  steal: number;
  ours: Map<number, number>;
  server: Map<number, number>;
  database: Map<number, number>;
}

export interface CpuUse {
  /** CPU ms of the server under test (all its threads). */
  serverMs: number;
  /** CPU ms of the PostgreSQL cluster. */
  databaseMs: number;
  /** Cores used by processes not ours, on average over the run. */
  otherCores: number;
  /** Cores the hypervisor gave to other guests while ours wanted them. */
  stolenCores: number;
}

/** Starts measuring; the returned function ends the measurement. */
export function measureCpu(serverPid: number, database?: RegExp): () => CpuUse {
  const snapshot = (): Snapshot => {
    const [, ...cpu] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = cpu.map(Number) as number[];
    const all = processes();
    const isDatabase = (p: Proc) => database?.test(p.cmdline) ?? false;
    return {
      at: performance.now(),
      busy: user! + nice! + system! + irq! + softirq!,
      steal: steal!,
      ours: tree(all, (pid, p) => pid === process.pid || isDatabase(p)),
      server: tree(all, (pid) => pid === serverPid),
      database: tree(all, (_, p) => isDatabase(p)),
    };
  };
  const start = snapshot();
  return () => {
    const end = snapshot();
    const seconds = (end.at - start.at) / 1000;
    const spent = (key: 'ours' | 'server' | 'database') => {
      let ticks = 0;
      for (const [pid, t] of end[key]) ticks += t - (start[key].get(pid) ?? 0);
      return ticks;
    };
    const cores = (ticks: number) => Math.max(0, ticks / TICKS_PER_SECOND / seconds);
    return {
      serverMs: (spent('server') * 1000) / TICKS_PER_SECOND,
      databaseMs: (spent('database') * 1000) / TICKS_PER_SECOND,
      otherCores: cores(end.busy - start.busy - spent('ours')),
      stolenCores: cores(end.steal - start.steal),
    };
  };
}
