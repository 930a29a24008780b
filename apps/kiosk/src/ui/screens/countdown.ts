import { useEffect, useState } from 'preact/hooks';

/**
 * Whole seconds left of a `delayMs` wait after `elapsedMs`, rounded up and never below 1: the
 * screen says "1 s" until the machine's own timer fires and the screen changes.
 */
export function secondsLeft(delayMs: number, elapsedMs: number): number {
  return Math.max(1, Math.ceil((delayMs - elapsedMs) / 1000));
}

/** How often the display is refreshed: often enough that no second is skipped or shown late. */
const TICK_MS = 200;

/**
 * A countdown for display only: it starts when the component mounts and again whenever
 * `delayMs` or `restartKey` changes. It decides nothing; the machine's timer acts.
 */
export function useCountdown(delayMs: number, restartKey: unknown): number {
  const [left, setLeft] = useState(() => secondsLeft(delayMs, 0));
  useEffect(() => {
    const start = performance.now();
    setLeft(secondsLeft(delayMs, 0));
    const timer = setInterval(
      () => setLeft(secondsLeft(delayMs, performance.now() - start)),
      TICK_MS,
    );
    return () => clearInterval(timer);
  }, [delayMs, restartKey]);
  return left;
}
