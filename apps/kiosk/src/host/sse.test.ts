import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, formatSse, SSE_HEARTBEAT, type SseMessage } from './sse.ts';

/** Splits `text` at the given (sorted, deduplicated) offsets. */
function chunks(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let start = 0;
  for (const point of points) {
    out.push(text.slice(start, point));
    start = point;
  }
  out.push(text.slice(start));
  return out;
}

const eventName = fc.stringMatching(/^[a-z]{1,10}$/);
const anyData = fc.string({ maxLength: 40 });

describe('SSE framing', () => {
  it('parses what it formats, however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ event: eventName, data: anyData }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        (messages, cuts, newline) => {
          // Line breaks inside data come back as LF: that is what the format defines.
          const expected: SseMessage[] = messages.map((m) => ({
            event: m.event,
            data: m.data.replace(/\r\n|\r/g, '\n'),
          }));
          const wire = messages
            .map((m) => SSE_HEARTBEAT + formatSse(m.event, m.data))
            .join('')
            .replace(/\n/g, newline);
          const parser = createSseParser();
          const parsed = chunks(wire, cuts).flatMap((chunk) => parser.push(chunk));
          expect(parsed).toEqual(expected);
        },
      ),
    );
  });

  it('reads the daemon format: event name, JSON data, optional space, default event', () => {
    const parser = createSseParser();
    expect(
      parser.push(
        'retry: 1000\nid: 7\nevent: card\ndata:{"cardId":"04A1"}\n\n' +
          'data: first\ndata: second\n\n' +
          'event: reader\n\n',
      ),
    ).toEqual([
      { event: 'card', data: '{"cardId":"04A1"}' },
      { event: 'message', data: 'first\nsecond' },
    ]);
  });

  it('does not deliver a message before its blank line', () => {
    const parser = createSseParser();
    expect(parser.push('event: card\ndata: x\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'card', data: 'x' }]);
  });

  it('refuses event names that would break the framing', () => {
    expect(() => formatSse('card\ndata: x', '{}')).toThrow(/line break/);
  });
});
