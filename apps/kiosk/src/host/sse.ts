/** Server-Sent Events framing (WHATWG HTML, "Server-sent events"), both directions. */

export interface SseMessage {
  event: string;
  data: string;
}

/** One message; multi-line data becomes several `data:` lines, as the format requires. */
export function formatSse(event: string, data: string): string {
  if (/[\r\n]/.test(event)) throw new Error('An SSE event name cannot contain a line break.');
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
  return `event: ${event}\n${lines.join('')}\n`;
}

/** A comment line: keeps idle connections alive and lets the writer notice a dead client. */
export const SSE_HEARTBEAT = ': keep-alive\n\n';

/**
 * Incremental parser: feed it text as it arrives, in chunks of any size, and it returns the
 * messages completed so far. `id` and `retry` fields are ignored (we reconnect ourselves).
 */
export function createSseParser(): { push(text: string): SseMessage[] } {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  // A chunk ending in CR may be the first half of a CRLF.
  let skipLeadingLf = false;

  const takeLine = (line: string, out: SseMessage[]) => {
    if (line === '') {
      if (data.length > 0) out.push({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };

  return {
    push(text) {
      const out: SseMessage[] = [];
      if (skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
      skipLeadingLf = false;
      buffer += text;
      const lineBreak = /\r\n|\r|\n/g;
      let start = 0;
      for (let match = lineBreak.exec(buffer); match; match = lineBreak.exec(buffer)) {
        // A CR at the very end may still be followed by its LF in the next chunk.
        if (match[0] === '\r' && match.index === buffer.length - 1) skipLeadingLf = true;
        takeLine(buffer.slice(start, match.index), out);
        start = match.index + match[0].length;
      }
      buffer = buffer.slice(start);
      return out;
    },
  };
}
