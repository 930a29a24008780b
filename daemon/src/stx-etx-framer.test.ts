import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, runFramer } from './testing/framer-run.ts';
import { StxEtxFramer, type StxEtxFramerOptions } from './stx-etx-framer.ts';

const STX = 0x02;
const ETX = 0x03;

const stxEtx = (options: Partial<StxEtxFramerOptions> = {}) =>
  new StxEtxFramer({ maxLength: 16, ...options });

const ascii = (text: string) => [...Buffer.from(text, 'latin1')];
const xor = (bytes: number[]) => bytes.reduce((a, b) => a ^ b, 0);
/** `STX text ETX`, with the block check byte when `checked`. */
function framed(text: string, checked = false): number[] {
  const body = [...ascii(text), ETX];
  return [STX, ...body, ...(checked ? [xor(body)] : [])];
}

const cardText = fc.stringMatching(/^[0-9A-F]{1,16}$/);
/** Byte noise, heavy in the framing bytes so that every state of the framer is hit. */
const noise = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(STX, ETX, 0x0d, 0x0a), weight: 3 },
      { arbitrary: fc.integer({ min: 0x30, max: 0x46 }), weight: 8 },
      { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 2 },
    ),
    { maxLength: 120, size: 'max' },
  )
  .map((b) => Uint8Array.from(b));

describe('StxEtxFramer', () => {
  it('emits the content between STX and ETX, ignoring CR LF between frames', async () => {
    const data = [...framed('04A1B2C3'), 0x0d, 0x0a, ...framed('1234')];
    const { frames, stats } = await runFramer(stxEtx(), [Uint8Array.from(data)]);
    expect(frames).toEqual(['04A1B2C3', '1234']);
    expect(stats).toMatchObject({ frames: 2, garbage: 0, partial: 0 });
  });

  it('drops a frame cut off by a new STX, and a half frame at the end', async () => {
    const data = [STX, ...ascii('04A1'), ...framed('1234'), STX, ...ascii('99')];
    const { frames, stats } = await runFramer(stxEtx(), [Uint8Array.from(data)]);
    expect(frames).toEqual(['1234']);
    expect(stats.partial).toBe(2);
  });

  it('counts noise between frames once per run, and drops overlong frames whole', async () => {
    const data = [
      ...ascii('xx\u00ff'),
      ...framed('1234'),
      ...framed('0123456789ABCDEF0'),
      ...framed('5678'),
      ...ascii('zz'),
    ];
    const { frames, stats } = await runFramer(stxEtx(), [Uint8Array.from(data)]);
    expect(frames).toEqual(['1234', '5678']);
    expect(stats).toMatchObject({ garbage: 2, overlong: 1 });
  });

  it('checks the block check byte after ETX when the profile asks for it', async () => {
    const good = framed('04A1B2', true);
    const bad = framed('04A1B3', true);
    bad.push(bad.pop()! ^ 0x01);
    const { frames, stats } = await runFramer(stxEtx({ checksum: 'xor' }), [
      Uint8Array.from([
        ...good,
        ...bad,
        ...framed('0123456789ABCDEF0', true),
        ...framed('77', true),
      ]),
    ]);
    expect(frames).toEqual(['04A1B2', '77']);
    expect(stats).toMatchObject({ checksum: 1, overlong: 1, garbage: 0 });
  });

  it('strips a fixed prefix and suffix, and drops frames without them', async () => {
    const framer = stxEtx({ prefix: 'ID:', suffix: ';' });
    const data = [...framed('ID:1234;'), ...framed('1234;'), ...framed('ID:;'), ...framed('ID:9;')];
    const { frames, stats } = await runFramer(framer, [Uint8Array.from(data)]);
    expect(frames).toEqual(['1234', '9']);
    expect(stats.garbage).toBe(2);
  });

  it('yields the same frames however the stream is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cardText, { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (cards, checked, points) => {
          const options = { checksum: checked ? 'xor' : 'none' } as const;
          const data = Uint8Array.from(cards.flatMap((c) => framed(c, checked)));
          const whole = await runFramer(stxEtx(options), [data]);
          const chunked = await runFramer(stxEtx(options), cutAt(data, points));
          expect(whole.frames).toEqual(cards);
          expect(chunked).toEqual(whole);
        },
      ),
    );
  });

  it('never emits anything that was not framed in the input, whatever the noise', async () => {
    await fc.assert(
      fc.asyncProperty(noise, fc.boolean(), async (raw, checked) => {
        const framer = stxEtx({ maxLength: 8, checksum: checked ? 'xor' : 'none' });
        const { frames } = await runFramer(framer, [raw]);
        const input = Buffer.from(raw).toString('latin1');
        for (const f of frames) {
          expect(f).toMatch(/^[ -~]{1,8}$/);
          const body = `${f}\u0003`;
          const whole = checked
            ? `\u0002${body}${String.fromCharCode(xor(ascii(body)))}`
            : `\u0002${body}`;
          expect(input).toContain(whole);
        }
      }),
    );
  });

  it('recovers every card after noise without STX and after half frames', async () => {
    const noSTX = noise.map((n) => n.filter((b) => b !== STX));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(noSTX, fc.boolean(), cardText), { maxLength: 6 }),
        async (parts) => {
          // Noise, sometimes a frame cut off (STX and no ETX), then a good frame.
          const data = parts.flatMap(([n, half, card]) => [
            ...n,
            ...(half ? [STX, ...ascii(card)] : []),
            ...framed(card),
          ]);
          const { frames } = await runFramer(stxEtx(), [Uint8Array.from(data)]);
          expect(frames).toEqual(parts.map(([, , c]) => c));
        },
      ),
    );
  });
});
