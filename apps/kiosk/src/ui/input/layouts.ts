/**
 * The on-screen keyboard's layers as data. Every row is ten units wide so keys line up in
 * columns and the narrowest key is a tenth of the keyboard (at least 44 px on an 800×480
 * panel). Digits stay on top in both layers and `@ . - _` are on the letter layer, so the usual
 * e-mail-like usernames and passwords need no layer switch at all; the symbol layer carries the
 * rest of printable ASCII, so any password a desktop keyboard can type can be typed here too.
 */

export type LayerName = 'letters' | 'symbols';

export type KeySpec =
  | { kind: 'char'; char: string; width?: number }
  | { kind: 'shift'; width: number }
  | { kind: 'layer'; to: LayerName; width: number }
  | { kind: 'space'; width: number }
  | { kind: 'backspace'; width: number }
  | { kind: 'done'; width: number };

const chars = (row: string): KeySpec[] => [...row].map((char) => ({ kind: 'char', char }));

const DIGITS = chars('1234567890');

export const LAYERS: Record<LayerName, readonly KeySpec[][]> = {
  letters: [
    DIGITS,
    chars('qwertyuiop'),
    chars('asdfghjkl@'),
    chars('zxcvbnm.-_'),
    [
      { kind: 'layer', to: 'symbols', width: 2 },
      { kind: 'shift', width: 2 },
      { kind: 'space', width: 3 },
      { kind: 'backspace', width: 1.5 },
      { kind: 'done', width: 1.5 },
    ],
  ],
  symbols: [
    DIGITS,
    chars('!@#$%^&*()'),
    chars('+=[]{};:\'"'),
    chars(',./?\\|~`<>'),
    [
      { kind: 'layer', to: 'letters', width: 2 },
      { kind: 'char', char: '-' },
      { kind: 'char', char: '_' },
      { kind: 'space', width: 3 },
      { kind: 'backspace', width: 1.5 },
      { kind: 'done', width: 1.5 },
    ],
  ],
};

/** A telephone-style pad for PINs: digits, backspace and done, three columns. */
export const NUMERIC_PAD: readonly KeySpec[][] = [
  chars('123'),
  chars('456'),
  chars('789'),
  [
    { kind: 'backspace', width: 1 },
    { kind: 'char', char: '0' },
    { kind: 'done', width: 1 },
  ],
];

export const keyWidth = (key: KeySpec): number => key.width ?? 1;
