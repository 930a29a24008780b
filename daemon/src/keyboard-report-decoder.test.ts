import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeKeystrokes, KeyboardReportDecoder } from './keyboard-report-decoder.ts';

const decoder = (overrides: Partial<ConstructorParameters<typeof KeyboardReportDecoder>[0]> = {}) =>
  new KeyboardReportDecoder({
    terminator: 'enter',
    maxLength: 32,
    interKeyTimeoutMs: 200,
    ...overrides,
  });

/** Feeds reports 1 ms apart and collects the completed lines. */
function decode(d: KeyboardReportDecoder, reports: Uint8Array[], start = 0): string[] {
  return reports.flatMap((r, i) => d.push(r, start + i));
}

const report = (modifiers: number, ...keys: number[]) =>
  Uint8Array.of(modifiers, 0, ...keys, ...new Array(6 - keys.length).fill(0));

describe('KeyboardReportDecoder', () => {
  it('decodes a reader typing a hex card number and Enter, with key-up reports', () => {
    // "04A1" + Enter as a pcProx-style reader in keyboard mode types it (A with left shift).
    const reports = [
      report(0, 0x27),
      report(0),
      report(0, 0x21),
      report(0),
      report(0x02, 0x04),
      report(0),
      report(0, 0x1e),
      report(0),
      report(0, 0x28),
      report(0),
    ];
    expect(decode(decoder(), reports)).toEqual(['04A1']);
  });

  it('handles rollover: a key held into the next report is typed once', () => {
    const reports = [report(0, 0x1e), report(0, 0x1e, 0x1f), report(0, 0x1f), report(0, 0x28)];
    expect(decode(decoder(), reports)).toEqual(['12']);
  });

  it('ignores ErrorRollOver reports, unknown keys count as malformed', () => {
    const d = decoder();
    const lines = decode(d, [
      report(0, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01),
      report(0, 0x1e),
      report(0, 0xe8),
      report(0, 0x28),
    ]);
    expect(lines).toEqual(['1']);
    expect(d.stats.malformed).toBe(1);
  });

  it('drops a half read after a pause, and an overlong line whole', () => {
    const d = decoder({ maxLength: 4 });
    expect(d.push(report(0, 0x1e), 0)).toEqual([]);
    expect(d.push(report(0), 1)).toEqual([]);
    expect(decode(d, encodeKeystrokes('99'), 1000)).toEqual(['99']);
    expect(d.stats.partial).toBe(1);
    expect(decode(d, encodeKeystrokes('123456'), 2000)).toEqual([]);
    expect(d.stats.overlong).toBe(1);
    expect(decode(d, encodeKeystrokes('1234'), 3000)).toEqual(['1234']);
  });

  it('honours Tab as terminator and a report-ID offset', () => {
    const d = decoder({ terminator: 'tab', reportOffset: 1 });
    const withId = encodeKeystrokes('AB12', 'tab').map((r) => Uint8Array.of(0x01, ...r));
    expect(decode(d, withId)).toEqual(['AB12']);
  });

  it('round-trips any printable text typed on a US keyboard, however reports repeat', () => {
    const printable = fc.stringMatching(/^[ -~]{1,32}$/).filter((s) => s.trim().length > 0);
    fc.assert(
      fc.property(printable, fc.array(fc.nat(), { maxLength: 5 }), (text, repeats) => {
        // A reader may send the same report twice (held key): that must not type twice.
        const reports = encodeKeystrokes(text).flatMap((r, i) =>
          repeats.includes(i) ? [r, r] : [r],
        );
        expect(decode(decoder(), reports)).toEqual([text]);
      }),
    );
  });

  it('never throws on random bytes and never emits more than maxLength characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 10 }), { maxLength: 50 }),
        (reports) => {
          for (const line of decode(decoder({ maxLength: 8 }), reports)) {
            expect(line.length).toBeLessThanOrEqual(8);
            expect(line).toMatch(/^[ -~]+$/);
          }
        },
      ),
    );
  });
});
