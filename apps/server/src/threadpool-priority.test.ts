import { readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICENESS, lowerThreadpoolPriority } from './threadpool-priority.ts';

describe('lowerThreadpoolPriority', () => {
  it.runIf(process.platform === 'linux')(
    'lowers the pool threads of this process, not the main thread',
    async () => {
      const lowered = await lowerThreadpoolPriority();
      expect(lowered.length).toBeGreaterThan(0);
      const threads = readdirSync('/proc/self/task').map(Number);
      for (const thread of lowered) {
        expect(threads).toContain(thread);
        expect(getPriority(thread)).toBe(BACKGROUND_NICENESS);
      }
      expect(lowered).not.toContain(process.pid);
      expect(getPriority(process.pid)).not.toBe(BACKGROUND_NICENESS);
    },
  );

  it.runIf(process.platform !== 'linux')(
    'does nothing where threads have no nice value',
    async () => {
      expect(await lowerThreadpoolPriority()).toEqual([]);
    },
  );
});
