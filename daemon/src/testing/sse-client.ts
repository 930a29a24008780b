import { request } from 'undici';

/** For tests: what arrived on an SSE stream, line-parsed as the WHATWG format says. */
export interface SseEvent {
  event: string;
  /** The `data:` lines joined and parsed as JSON (the daemon sends JSON only). */
  data: unknown;
}

export interface SseSubscription {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Events received and not yet taken by `next`. */
  events: SseEvent[];
  /** `retry:` hints, in order. */
  retries: number[];
  /** Comment lines (`: heartbeat`), without the colon. */
  comments: string[];
  /** Resolves with the next not-yet-taken event named `name`. */
  next(name: string, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves once `count` comments have arrived in all. */
  comment(count: number, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Subscribes to an SSE stream for a test. The timeouts only turn a hang into a failure. */
export async function subscribe(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseSubscription> {
  const controller = new AbortController();
  const response = await request(url, { signal: controller.signal, headers });
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  let wake: () => void = () => {};
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    wake();
    changed = new Promise<void>((resolve) => (wake = resolve));
  };

  let buffer = '';
  let event = '';
  let data: string[] = [];
  const takeLine = (line: string) => {
    if (line === '') {
      if (data.length > 0)
        events.push({ event: event || 'message', data: JSON.parse(data.join('\n')) });
      event = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return void comments.push(line.slice(1).trim());
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry') retries.push(Number(value));
  };
  response.body.setEncoding('utf8');
  response.body.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    lines.forEach(takeLine);
    notify();
  });
  response.body.on('error', () => {});

  const waitFor = async <T>(what: string, timeoutMs: number, take: () => T | undefined) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      for (;;) {
        const found = take();
        if (found !== undefined) return found;
        await Promise.race([changed, timeout]);
      }
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    status: response.statusCode,
    headers: response.headers,
    events,
    retries,
    comments,
    next: (name, timeoutMs = 5000) =>
      waitFor(`"${name}" event`, timeoutMs, () => {
        const index = events.findIndex((e) => e.event === name);
        return index === -1 ? undefined : events.splice(index, 1)[0];
      }),
    comment: async (count, timeoutMs = 5000) => {
      await waitFor(`${count} comments`, timeoutMs, () =>
        comments.length >= count ? true : undefined,
      );
    },
    close: () => controller.abort(),
  };
}
