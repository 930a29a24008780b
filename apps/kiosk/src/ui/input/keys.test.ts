import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEditKey,
  caretAtEnd,
  clampSelection,
  nextShiftState,
  sanitizeForKind,
  shiftAfterCharacter,
  shiftedCharacter,
  type FieldText,
} from './keys.ts';

/** Any text (emoji included) with any valid selection inside it. */
const field = fc
  .tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.nat(), fc.nat())
  .map(([value, a, b]): FieldText => {
    // Selections from the DOM never split a surrogate pair; model the same.
    const points = [...value];
    const at = (n: number) => points.slice(0, n % (points.length + 1)).join('').length;
    const [start, end] = [at(a), at(b)].sort((x, y) => x - y) as [number, number];
    return { value, selectionStart: start, selectionEnd: end };
  });
/** No lone UTF-16 surrogate (String#isWellFormed is ES2024, beyond this repo's lib). */
const wellFormed = (text: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
const typed = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 5 });

describe('applyEditKey', () => {
  it('types at the caret and replaces a selection', () => {
    expect(
      applyEditKey(
        { value: 'ad', selectionStart: 1, selectionEnd: 1 },
        { type: 'insert', text: 'x' },
      ),
    ).toEqual({
      value: 'axd',
      selectionStart: 2,
      selectionEnd: 2,
    });
    expect(
      applyEditKey(
        { value: 'abcd', selectionStart: 1, selectionEnd: 3 },
        { type: 'insert', text: '@' },
      ),
    ).toEqual({
      value: 'a@d',
      selectionStart: 2,
      selectionEnd: 2,
    });
  });

  it('removes a whole emoji with one backspace, and nothing at the start', () => {
    expect(applyEditKey(caretAtEnd('a😀'), { type: 'backspace' })).toEqual(caretAtEnd('a'));
    expect(
      applyEditKey({ value: 'ab', selectionStart: 0, selectionEnd: 0 }, { type: 'backspace' }),
    ).toEqual({
      value: 'ab',
      selectionStart: 0,
      selectionEnd: 0,
    });
  });

  it('inserting puts exactly the text between what was before and after the selection', () => {
    fc.assert(
      fc.property(field, typed, (f, text) => {
        const after = applyEditKey(f, { type: 'insert', text });
        expect(after.value).toBe(
          f.value.slice(0, f.selectionStart) + text + f.value.slice(f.selectionEnd),
        );
        expect(after.selectionStart).toBe(f.selectionStart + text.length);
        expect(after.selectionEnd).toBe(after.selectionStart);
      }),
    );
  });

  it('backspace undoes a typed character', () => {
    fc.assert(
      fc.property(
        field,
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
        (f, char) => {
          const collapsed = { ...f, selectionEnd: f.selectionStart };
          const typedOnce = applyEditKey(collapsed, { type: 'insert', text: char });
          expect(applyEditKey(typedOnce, { type: 'backspace' })).toEqual(collapsed);
        },
      ),
    );
  });

  it('backspace never leaves half a surrogate pair and never moves the caret outside', () => {
    fc.assert(
      fc.property(field, (f) => {
        const after = applyEditKey(f, { type: 'backspace' });
        expect(wellFormed(after.value)).toBe(wellFormed(f.value));
        expect(after.selectionStart).toBeGreaterThanOrEqual(0);
        expect(after.selectionStart).toBeLessThanOrEqual(after.value.length);
        expect(f.value.length - after.value.length).toBeLessThanOrEqual(
          Math.max(f.selectionEnd - f.selectionStart, 2),
        );
      }),
    );
  });

  it('never grows past maxLength and never splits what it types', () => {
    fc.assert(
      fc.property(field, typed, fc.integer({ min: 0, max: 30 }), (f, text, max) => {
        const after = applyEditKey(f, { type: 'insert', text }, max);
        const removed = f.selectionEnd - f.selectionStart;
        expect(after.value.length).toBeLessThanOrEqual(Math.max(max, f.value.length - removed));
        expect(wellFormed(after.value)).toBe(true);
      }),
    );
  });

  it('clamps a stale or missing DOM selection into the value', () => {
    expect(clampSelection('abc', null, null)).toEqual(caretAtEnd('abc'));
    expect(clampSelection('abc', 9, 2)).toEqual(caretAtEnd('abc'));
    fc.assert(
      fc.property(fc.string(), fc.option(fc.integer()), fc.option(fc.integer()), (value, a, b) => {
        const f = clampSelection(value, a, b);
        expect(0 <= f.selectionStart && f.selectionStart <= f.selectionEnd).toBe(true);
        expect(f.selectionEnd).toBeLessThanOrEqual(value.length);
      }),
    );
  });
});

describe('shift', () => {
  it('cycles off → once → locked → off; a character uses up "once" only', () => {
    expect(nextShiftState('off')).toBe('once');
    expect(nextShiftState('once')).toBe('locked');
    expect(nextShiftState('locked')).toBe('off');
    expect(shiftAfterCharacter('once')).toBe('off');
    expect(shiftAfterCharacter('locked')).toBe('locked');
    expect(shiftAfterCharacter('off')).toBe('off');
  });

  it('capitalizes letters and leaves other keys alone', () => {
    expect(shiftedCharacter('q', 'once')).toBe('Q');
    expect(shiftedCharacter('q', 'off')).toBe('q');
    for (const c of '1234567890@.-_!#') expect(shiftedCharacter(c, 'locked')).toBe(c);
  });
});

describe('sanitizeForKind', () => {
  it('keeps only ASCII digits for digit fields, and everything for text', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(sanitizeForKind(value, 'digits')).toMatch(/^[0-9]*$/);
        expect(sanitizeForKind(value, 'text')).toBe(value);
      }),
    );
    expect(sanitizeForKind('1a2٣3', 'digits')).toBe('123');
  });
});
