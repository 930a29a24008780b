import { READER_SIMULATE_PATH } from '@cardbind/shared';
import { request } from 'undici';

/** Sends a simulated card read to a running reader daemon (what `cardbind swipe` does). */
export async function simulateSwipe(options: {
  port: number;
  cardId: string;
  readerId?: string;
  /** The daemon's token, when it has one. */
  token?: string;
}): Promise<void> {
  const url = `http://127.0.0.1:${options.port}${READER_SIMULATE_PATH}`;
  let response;
  try {
    response = await request(url, {
      method: 'POST',
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
