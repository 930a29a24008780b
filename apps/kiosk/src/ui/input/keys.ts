/**
 * What an on-screen key does to a text field, without the DOM: the component reads the field's
 * value and selection, applies a key here and writes the result back. Kept pure so the editing
 * rules (selection replaced, backspace removes one character, never half of one) are tested
 * exhaustively with fast-check instead of through a browser.
 */

/** A text field's content and caret; `selectionStart === selectionEnd` is a plain caret. */
export interface FieldText {
  value: string;
  selectionStart: number;
  selectionEnd: number;
}

/** Keys that edit text. Layer, shift and done keys change the keyboard, not the field. */
export type EditKey = { type: 'insert'; text: string } | { type: 'backspace' };

/** The whole value with the caret at its end: where a field that was never touched types. */
export function caretAtEnd(value: string): FieldText {
  return { value, selectionStart: value.length, selectionEnd: value.length };
}

/** Brings a selection reported by the DOM (possibly null or stale) inside the value. */
export function clampSelection(
  value: string,
  start: number | null | undefined,
  end: number | null | undefined,
): FieldText {
  const clamp = (n: number | null | undefined, fallback: number) =>
    Math.min(Math.max(n ?? fallback, 0), value.length);
  const selectionStart = clamp(start, value.length);
  const selectionEnd = Math.max(selectionStart, clamp(end, selectionStart));
  return { value, selectionStart, selectionEnd };
}

/**
 * Applies one key. Inserting replaces the selection; backspace removes the selection, or else
 * the one character before the caret (a whole code point: a physical keyboard may have typed an
 * emoji, whose two UTF-16 halves must go together). `maxLength` limits insertions only.
 */
export function applyEditKey(field: FieldText, key: EditKey, maxLength = Infinity): FieldText {
  const { value } = field;
  const { selectionStart: start, selectionEnd: end } = clampSelection(
    value,
    field.selectionStart,
    field.selectionEnd,
  );
  if (key.type === 'insert') {
    const room = maxLength - (value.length - (end - start));
    const text = room <= 0 ? '' : truncateCodePoints(key.text, room);
    const caret = start + text.length;
    return {
      value: value.slice(0, start) + text + value.slice(end),
      selectionStart: caret,
      selectionEnd: caret,
    };
  }
  if (start !== end) {
    return {
      value: value.slice(0, start) + value.slice(end),
      selectionStart: start,
      selectionEnd: start,
    };
  }
  if (start === 0) return { value, selectionStart: 0, selectionEnd: 0 };
  const removed = isLowSurrogateAt(value, start - 1) && isHighSurrogateAt(value, start - 2) ? 2 : 1;
  const caret = start - removed;
  return {
    value: value.slice(0, caret) + value.slice(start),
    selectionStart: caret,
    selectionEnd: caret,
  };
}

function isHighSurrogateAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogateAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The longest prefix of `text` with at most `units` UTF-16 units that does not split a pair. */
function truncateCodePoints(text: string, units: number): string {
  if (text.length <= units) return text;
  let cut = units;
  if (isLowSurrogateAt(text, cut) && isHighSurrogateAt(text, cut - 1)) cut -= 1;
  return text.slice(0, cut);
}

/**
 * Shift on a touch keyboard: one tap shifts the next letter only, a second tap locks it (for
 * OTPs, which are upper case), a third releases it.
 */
export type ShiftState = 'off' | 'once' | 'locked';

export function nextShiftState(shift: ShiftState): ShiftState {
  return shift === 'off' ? 'once' : shift === 'once' ? 'locked' : 'off';
}

/** After a character is typed, a one-shot shift is used up; a locked one stays. */
export function shiftAfterCharacter(shift: ShiftState): ShiftState {
  return shift === 'once' ? 'off' : shift;
}

/** The character a letter key types under the shift state; other keys type themselves. */
export function shiftedCharacter(character: string, shift: ShiftState): string {
  return shift === 'off' ? character : character.toUpperCase();
}

/** What a field of each kind accepts: PINs are digits only, so stray keys never reach one. */
export function sanitizeForKind(value: string, kind: 'text' | 'digits'): string {
  return kind === 'digits' ? value.replace(/\D/g, '') : value;
}
