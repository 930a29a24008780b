import { readlink } from 'node:fs/promises';
import { setPriority } from 'node:os';

/** The lowest priority: the thread runs when nothing else wants the core. */
export const BACKGROUND_NICENESS = 19;

/**
 * Lowers the scheduling priority of libuv's threadpool, where argon2 hashes passwords (and
 * Node does file-system work, DNS lookups and async crypto). One enrollment keeps a pool
 * thread busy for most of a core; at equal priority the event loop then waits in the run queue
 * and every card swipe with it (p99 on PostgreSQL 28–35 ms, 14–16 ms with the pool at nice 19:
 * bench/README.md). At nice 19 hashing still gets every idle cycle.
 *
 * Linux only, best effort: Linux gives each thread its own nice value, and `/proc/thread-self`
 * names the thread that reads it, so `readlink` run *on the pool* tells the pool's thread ids.
 * A pool thread is not guaranteed to take one of the reads, so it reads in rounds until it has
 * seen `UV_THREADPOOL_SIZE` threads or gives up. Elsewhere, or without /proc, it does nothing.
 * Returns the thread ids it lowered.
 */
export async function lowerThreadpoolPriority(
  options: { poolSize?: number; rounds?: number } = {},
): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const poolSize = options.poolSize ?? (Number(process.env.UV_THREADPOOL_SIZE) || 4);
  const threads = new Set<number>();
  try {
    for (let round = 0; round < (options.rounds ?? 50) && threads.size < poolSize; round++) {
      const links = await Promise.all(
        Array.from({ length: poolSize }, () => readlink('/proc/thread-self')),
      );
      for (const link of links) threads.add(Number(link.split('/').at(-1)));
    }
  } catch {
    return []; // no /proc (a container without it): nothing to do
  }
  const lowered: number[] = [];
  for (const thread of threads) {
    // `thread === process.pid` would be the main thread: never the pool, but never lower it.
    if (!Number.isInteger(thread) || thread === process.pid) continue;
    try {
      setPriority(thread, BACKGROUND_NICENESS);
      lowered.push(thread);
    } catch {
      // A thread that ended, or a sandbox refusing setpriority: the default priority stays.
    }
  }
  return lowered;
}
