import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from './index.ts';
import { applyPipeline, formatPipeline, inferPipeline } from './index.ts';

const inferred = (pairs: Array<[string, string]>) => {
  const pipeline = inferPipeline(pairs.map(([raw, expected]) => ({ raw, expected })));
  return pipeline === null ? null : formatPipeline(pipeline);
};

const reversedDecimal = (uid: string) =>
  BigInt(`0x${(uid.match(/../g) ?? []).reverse().join('')}`).toString();

describe('inferPipeline', () => {
  it('finds the decimal of the reversed UID bytes', () => {
    const uids = ['04A1B2C3', '8F3E2D1C', '1234ABCD', 'DEADBEEF'];
    const pairs = uids.map((uid): [string, string] => [uid, reversedDecimal(uid)]);
    expect(pairs[0]).toEqual(['04A1B2C3', '3283263748']);
    expect(inferred(pairs)).toBe('reverse-bytes | hex-to-dec');
  });

  it('finds a zero-padded decimal', () => {
    expect(
      inferred([
        ['00BC614E', '0012345678'],
        ['0001E240', '0000123456'],
        ['3ADE68B1', '0987654321'],
      ]),
    ).toBe('hex-to-dec | pad-left 10 0');
  });

  it('finds the card number of 26-bit Wiegand frames', () => {
    // Frames packed as in wiegand.test.ts: facility 18, cards 1234, 40000 and 7.
    const frames: Array<[string, string]> = [
      ['02409A4', '1234'],
      ['0253880', '40000'],
      ['024000E', '7'],
    ];
    expect(inferred(frames)).toBe('wiegand-26 card');
  });

  it('finds a prefix and a cut', () => {
    expect(
      inferred([
        ['0004A1B2C3', 'CB77705923'],
        ['0000000101', 'CB257'],
        ['00FFFFFFFF', 'CB4294967295'],
      ]),
    ).toBe('hex-to-dec | prepend CB');
    expect(
      inferred([
        ['3934364542443238', '946EBD28'],
        ['3031323334353637', '01234567'],
        ['4141414130303030', 'AAAA0000'],
      ]),
    ).toBe('ascii-unpack');
    expect(
      inferred([
        ['04A1B2C3D4E5F6', 'D4E5F6'],
        ['04000000123456', '123456'],
        ['04FFFFFF000001', '000001'],
      ]),
    ).toBe('take-right 6');
  });

  it('returns an empty pipeline when nothing needs converting', () => {
    expect(
      inferPipeline([
        { raw: '1', expected: '1' },
        { raw: '2', expected: '2' },
        { raw: '3', expected: '3' },
      ]),
    ).toEqual([]);
  });

  it('returns null when no pipeline fits', () => {
    expect(
      inferPipeline(
        [
          { raw: '1234', expected: 'apple' },
          { raw: '5678', expected: 'pear' },
          { raw: '9999', expected: 'plum' },
        ],
        { maxNodes: 20_000 },
      ),
    ).toBeNull();
  });

  it('needs at least three pairs', () => {
    expect(() => inferPipeline([{ raw: '0A', expected: '10' }])).toThrow(
      'inferPipeline needs at least 3 pairs, got 1',
    );
  });

  it('stays fast when it has to search the whole budget', () => {
    const started = performance.now();
    inferPipeline([
      { raw: '04A1B2C3D4E5F6', expected: 'x1' },
      { raw: '04A1B2C3D4E5F7', expected: 'y2' },
      { raw: '04A1B2C3D4E5F8', expected: 'z3' },
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('only ever returns pipelines that map every pair, and finds short ones it can', () => {
    const generators: Operation[] = [
      { kind: 'hex-to-dec' },
      { kind: 'reverse-bytes' },
      { kind: 'lower' },
      { kind: 'take-right', count: 6 },
      { kind: 'drop-left', count: 2 },
    ];
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[0-9A-F]{8}$/), { minLength: 3, maxLength: 4 }),
        fc.array(fc.constantFrom(...generators), { minLength: 1, maxLength: 2 }),
        (raws, ops) => {
          const pairs = raws.flatMap((raw) => {
            try {
              return [{ raw, expected: applyPipeline(ops, raw) }];
            } catch {
              return [];
            }
          });
          // Some generated chains cannot convert some values (reverse-bytes after hex-to-dec
          // needs an even number of digits); those examples prove nothing.
          fc.pre(pairs.length === raws.length && new Set(raws).size === raws.length);
          const pipeline = inferPipeline(pairs, { maxNodes: 30_000 });
          expect(pipeline).not.toBeNull();
          expect(pipeline?.length ?? Infinity).toBeLessThanOrEqual(ops.length);
          for (const { raw, expected } of pairs) {
            expect(applyPipeline(pipeline ?? [], raw)).toBe(expected);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
