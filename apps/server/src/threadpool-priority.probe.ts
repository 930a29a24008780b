import { readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { lowerThreadpoolPriority } from './threadpool-priority.ts';

/**
 * Run by threadpool-priority.test.ts in a child process of its own: lowering the pool's priority
 * lasts as long as the process, and in the test runner's worker it would slow every later test
 * file that worker runs. Reports, as JSON on stdout, what the test needs to check.
 */
const mainBefore = getPriority(process.pid);
const lowered = await lowerThreadpoolPriority();
const report = {
  pid: process.pid,
  lowered,
  threads: readdirSync('/proc/self/task').map(Number),
  priorities: Object.fromEntries(lowered.map((thread) => [thread, getPriority(thread)])),
  mainBefore,
  mainAfter: getPriority(process.pid),
};
process.stdout.write(JSON.stringify(report));
