import { READER_SIMULATE_PATH } from '@cardbind/shared';

export interface SimulateSwipeOptions {
  /** The daemon's loopback port. */
  port: number;
  /** What the reader would send; the daemon normalizes it (trim, upper case). */
  cardId: string;
  /** Default: `simulated`. */
  readerId?: string;
  /** The daemon's token, when it has one. */
  token?: string;
  /** How long to wait for an answer; 5 s. */
  timeoutMs?: number;
}

/**
 * Sends a simulated card read to a running reader daemon (what `cardbind swipe` does) and
 * resolves once the daemon accepted it; rejects with a message a person can act on.
 */
export async function simulateSwipe(options: SimulateSwipeOptions): Promise<void> {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new RangeError(`"port" must be a TCP port number from 1 to 65535 (got ${options.port})`);
  }
  if (typeof options.cardId !== 'string' || options.cardId.length === 0) {
    throw new TypeError('"cardId" must be a non-empty string');
  }
  const timeoutMs = options.timeoutMs ?? 5_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`"timeoutMs" must be a positive whole number of milliseconds`);
  }
  // Loaded here, not at the top: the daemon exports this module, and undici would add some
  // 15 MB to the resident memory of a daemon that never sends a swipe.
  const { request } = await import('undici');
  const url = `http://127.0.0.1:${options.port}${READER_SIMULATE_PATH}`;
  let response;
  try {
    response = await request(url, {
      method: 'POST',
      // Something that accepts the connection but never answers is not a reader daemon.
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify({
        cardId: options.cardId,
        ...(options.readerId ? { readerId: options.readerId } : {}),
      }),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED') {
      throw new Error(
        `No reader daemon on 127.0.0.1:${options.port}. Start one with \`cardbind reader\` (or \`cardbind demo\`), or pass its --port.`,
        { cause: error },
      );
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      throw new Error(
        `Something listens on 127.0.0.1:${options.port} but does not answer like a reader daemon. Check the --port.`,
        { cause: error },
      );
    }
    throw error;
  }
  const text = await response.body.text();
  if (response.statusCode !== 202) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message;
    } catch {
      // not our error shape: show the text as it came
    }
    throw new Error(`The reader daemon refused the swipe: ${message}`);
  }
}
