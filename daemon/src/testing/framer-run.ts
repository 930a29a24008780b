import type { Framer, FramerStats } from '../framer.ts';

/**
 * For the framer tests: feeds `chunks` through `framer`, ends the stream, and returns the
 * frames it emitted and its counters (a copy, taken at the end).
 */
export async function runFramer(
  framer: Framer,
  chunks: Uint8Array[],
): Promise<{ frames: string[]; stats: FramerStats }> {
  const frames: string[] = [];
  framer.on('data', (frame: string) => frames.push(frame));
  for (const chunk of chunks) framer.write(chunk);
  framer.end();
  await new Promise((resolve) => framer.on('end', resolve));
  return { frames, stats: { ...framer.stats } };
}

/**
 * Splits bytes into chunks at the given points (each taken modulo the length + 1, so any
 * natural numbers will do): how a serial port may hand over the same stream.
 */
export function cutAt(data: Uint8Array, points: number[]): Uint8Array[] {
  const sorted = [...new Set(points.map((p) => p % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of sorted) {
    chunks.push(data.subarray(start, p));
    start = p;
  }
  chunks.push(data.subarray(start));
  return chunks;
}
