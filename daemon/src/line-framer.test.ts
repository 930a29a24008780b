import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, runFramer } from './testing/framer-run.ts';
import { LineFramer } from './line-framer.ts';

/** Feeds the chunks through a fresh framer and collects its lines and counters. */
async function frame(chunks: Uint8Array[], maxLength = 16) {
  const { frames, stats } = await runFramer(new LineFramer({ maxLength }), chunks);
  return { lines: frames, stats };
}

const bytes = (text: string) => Buffer.from(text, 'latin1');

/**
 * Byte streams as readers and line noise make them: mostly printable text, some terminators,
 * some binary. Long enough (`size: 'max'`) that lines beyond the test's maxLength of 8 occur.
 */
const readerBytes = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(0x0d, 0x0a), weight: 2 },
      { arbitrary: fc.integer({ min: 0x20, max: 0x7e }), weight: 12 },
      { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 1 },
      // The edges of printable ASCII, where a range check goes wrong.
      { arbitrary: fc.constantFrom(0x00, 0x09, 0x1f, 0x7f, 0x80, 0xff), weight: 1 },
    ),
    { maxLength: 160, size: 'max' },
  )
  .map((b) => Buffer.from(b));

describe('LineFramer', () => {
  it('ends lines at CR, LF and CR LF, and drops empty lines', async () => {
    const { lines } = await frame([bytes('04A1B2\r\nC3D4\rE5F6\n\n\r\n0011\r')]);
    expect(lines).toEqual(['04A1B2', 'C3D4', 'E5F6', '0011']);
  });

  it('does not make an extra line of a CR LF split across two chunks', async () => {
    const { lines } = await frame([bytes('04A1B2C3D4\r'), bytes('\n12345\r\n')]);
    expect(lines).toEqual(['04A1B2C3D4', '12345']);
  });

  it('drops an overlong line whole and resynchronizes at the next terminator', async () => {
    const { lines, stats } = await frame(
      [bytes('0123456789'), bytes('0123456789ABCDEF'), bytes('XYZ\r\nGOOD\r\n')],
      16,
    );
    expect(lines).toEqual(['GOOD']);
    expect(stats.overlong).toBe(1);
  });

  it('drops lines with binary noise and counts them', async () => {
    const { lines, stats } = await frame([
      Buffer.from([0x30, 0x31, 0x00, 0xff, 0x0a]),
      bytes('OK\n'),
    ]);
    expect(lines).toEqual(['OK']);
    expect(stats.garbage).toBe(1);
  });

  it('discards a half line left when the stream ends', async () => {
    const { lines, stats } = await frame([bytes('ONE\r\nTW')]);
    expect(lines).toEqual(['ONE']);
    expect(stats.partial).toBe(1);
  });

  it('strips a fixed prefix and suffix, and drops lines without them as garbage', async () => {
    const framer = new LineFramer({ maxLength: 16, prefix: 'ID:', suffix: ';' });
    const { frames, stats } = await runFramer(framer, [
      bytes('ID:04A1;\r\n04A2;\r\nID:04A3\r\nID:;\nID:5;\n'),
    ]);
    expect(frames).toEqual(['04A1', '5']);
    expect(stats).toMatchObject({ frames: 2, garbage: 3 });
  });

  it('emits only the inside of prefixed and suffixed lines, whatever the input', async () => {
    await fc.assert(
      fc.asyncProperty(readerBytes, async (raw) => {
        const framer = new LineFramer({ maxLength: 12, prefix: 'A', suffix: 'Z' });
        const { frames: lines } = await runFramer(framer, [raw]);
        const expected = raw
          .toString('latin1')
          .split(/[\r\n]/)
          .slice(0, -1)
          .filter((l) => /^A[ -~]{1,10}Z$/.test(l))
          .map((l) => l.slice(1, -1));
        expect(lines).toEqual(expected);
      }),
    );
  });

  it('names a bad maxLength', () => {
    expect(() => new LineFramer({ maxLength: 0 })).toThrow(/"maxLength"/);
  });

  it('yields the same lines however the stream is chunked', async () => {
    const line = fc.stringMatching(/^[ -~]{0,20}$/);
    const terminator = fc.constantFrom('\r', '\n', '\r\n');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(line, terminator), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (parts, points) => {
          const data = bytes(parts.map(([l, t]) => l + t).join(''));
          const whole = await frame([data]);
          const chunked = await frame(cutAt(data, points));
          expect(chunked.lines).toEqual(whole.lines);
          expect(whole.lines).toEqual(
            parts.map(([l]) => l).filter((l) => l.length > 0 && l.length <= 16),
          );
        },
      ),
    );
  });

  it('frames and counts any byte stream the same however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        readerBytes,
        fc.array(fc.nat(), { maxLength: 12, size: 'max' }),
        async (raw, points) => {
          const whole = await frame([raw], 8);
          const chunked = await frame(cutAt(raw, points), 8);
          expect(chunked).toEqual(whole);
        },
      ),
    );
  });

  it('emits exactly the terminated, printable, short-enough lines of the input', async () => {
    await fc.assert(
      fc.asyncProperty(readerBytes, fc.array(fc.nat(), { maxLength: 6 }), async (raw, points) => {
        const { lines } = await frame(cutAt(raw, points), 8);
        // The segment after the last terminator is a half line: never a read.
        const terminated = raw
          .toString('latin1')
          .split(/[\r\n]/)
          .slice(0, -1);
        expect(lines).toEqual(terminated.filter((l) => /^[ -~]{1,8}$/.test(l)));
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(8);
      }),
    );
  });
});
