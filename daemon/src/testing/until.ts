import { setTimeout as sleep } from 'node:timers/promises';

/**
 * For tests: resolves once `condition()` holds, checking every few milliseconds (readers work on
 * timers and promises, so there is no single event to await). The deadline only turns a hang
 * into a failure that says what was awaited; it measures nothing.
 */
export async function until(
  condition: () => boolean,
  what = 'the condition',
  deadlineMs = 4000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${deadlineMs} ms for ${what} in vain`);
    await sleep(2);
  }
}
