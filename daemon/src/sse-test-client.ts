import { request } from 'undici';

export interface SseEvent {
  event: string;
  data: unknown;
}

/**
 * Subscribes to an SSE stream for a test and lets it wait for the next event of a kind.
 * Comments (heartbeats) and `retry:` lines are skipped.
 */
export async function subscribe(url: string) {
  const controller = new AbortController();
  const response = await request(url, { signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  response.body.setEncoding('utf8');
  response.body.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    waiters.splice(0).forEach((wake) => wake());
  });
  response.body.on('error', () => {});
  return {
    status: response.statusCode,
    headers: response.headers,
    events,
    /** Resolves with the next not-yet-taken event named `name`. */
    async next(name: string, timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex((e) => e.event === name);
        const [found] = index === -1 ? [] : events.splice(index, 1);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no "${name}" event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => controller.abort(),
  };
}
