import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvRow, parseCsv, unguardCell } from './csv.ts';

describe('CSV', () => {
  it('reads quoted fields, doubled quotes, CRLF and a byte-order mark', () => {
    expect(parseCsv('\ufeffusername,cardId\r\n"smith, j","04""A1"\r\nada,B2\n\n')).toEqual([
      ['username', 'cardId'],
      ['smith, j', '04"A1'],
      ['ada', 'B2'],
    ]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/quoted field/);
  });

  it('guards cells a spreadsheet would run as formulas, and undoes the guard', () => {
    expect(formatCsvRow(['=HYPERLINK("x")', 'ok'])).toBe(`"'=HYPERLINK(""x"")",ok\r\n`);
    expect(unguardCell("'=1+1")).toBe('=1+1');
    expect(unguardCell("'plain")).toBe("'plain");
    expect(formatCsvRow(["'=x"])).toBe("''=x\r\n");
  });

  it('reads back what it writes', () => {
    const cell = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { maxLength: 8 }),
        (rows) => {
          const text = rows.map((r) => formatCsvRow(r)).join('');
          const parsed = parseCsv(text).map((r) => r.map(unguardCell));
          // Rows that are a single empty cell vanish on reading, like blank lines.
          expect(parsed).toEqual(rows.filter((r) => !(r.length === 1 && r[0] === '')));
        },
      ),
    );
  });
});
