import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICENESS, lowerThreadpoolPriority } from './threadpool-priority.ts';

/** What threadpool-priority.probe.ts reports about the process it ran in. */
interface ProbeReport {
  pid: number;
  lowered: number[];
  threads: number[];
  priorities: Record<string, number>;
  mainBefore: number;
  mainAfter: number;
}

/**
 * Lowers the pool's priority in a child process: done here, it would stay lowered in this
 * test worker for every test file the worker runs after this one.
 */
async function lowerInChildProcess(): Promise<ProbeReport> {
  const probe = path.join(import.meta.dirname, 'threadpool-priority.probe.ts');
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', probe],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(stderr).toBe('');
  return JSON.parse(stdout) as ProbeReport;
}

describe('lowerThreadpoolPriority', () => {
  // Only Linux gives each thread its own nice value (and has /proc/thread-self to find them).
  it.runIf(process.platform === 'linux')(
    'lowers the pool threads of its process, not the main thread',
    async () => {
      const report = await lowerInChildProcess();
      expect(report.lowered.length).toBeGreaterThan(0);
      for (const thread of report.lowered) {
        expect(report.threads).toContain(thread);
        expect(report.priorities[thread]).toBe(BACKGROUND_NICENESS);
      }
      expect(report.lowered).not.toContain(report.pid);
      // Compared with before, not with 19: the tests may run niced as a whole.
      expect(report.mainAfter).toBe(report.mainBefore);
    },
  );

  // Changes nothing where it runs, so it may run in this process.
  it.runIf(process.platform !== 'linux')(
    'does nothing where threads have no nice value',
    async () => {
      expect(await lowerThreadpoolPriority()).toEqual([]);
    },
  );
});
