import type { EventEmitter } from 'node:events';

export interface LineSourceEvents {
  /** One framed read, before normalization. */
  line: [string];
  /** Data that could not be a read (noise, overlong, half frame), with counters. */
  dropped: [reason: string, stats: object];
  /** The device went away or failed; the source is finished. */
  end: [error?: Error];
}

/** An open reader device that yields framed text reads, whatever its transport. */
export interface LineSource extends EventEmitter<LineSourceEvents> {
  close(): Promise<void>;
}

/** Opens the device; rejects while it is not there. */
export type LineSourceOpener = () => Promise<LineSource>;
