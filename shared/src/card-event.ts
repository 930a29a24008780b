import { z } from 'zod';
import { CardId } from './api.ts';

/**
 * Events the reader daemon publishes to the kiosk on its loopback Server-Sent Events stream
 * (`GET /v1/events`). The SSE event name is the `type`; the data line is the JSON below.
 */
export const READER_EVENTS_PATH = '/v1/events';
export const READER_SIMULATE_PATH = '/v1/simulate';

export const CardEvent = z.object({
  cardId: CardId,
  readerId: z.string().min(1),
  profile: z.string().min(1),
  at: z.iso.datetime(),
});
export type CardEvent = z.infer<typeof CardEvent>;

/** A simulated read: the text a reader would send, normalized by the daemon like a real read. */
export const SimulateRequest = z.strictObject({
  cardId: z.string().min(1, 'cardId must not be empty').max(128),
  readerId: z.string().min(1).max(64).optional(),
});
export type SimulateRequest = z.infer<typeof SimulateRequest>;

/**
 * `event: reader`: a reader (or, from the kiosk host, its link to the daemon) came or went.
 * The kiosk host reports its own link to the daemon as readerId `reader-daemon`.
 */
export const ReaderStatus = z.object({
  readerId: z.string().min(1),
  status: z.enum(['connected', 'disconnected']),
  at: z.iso.datetime(),
});
export type ReaderStatus = z.infer<typeof ReaderStatus>;
