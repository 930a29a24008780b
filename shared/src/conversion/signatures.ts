import type { OperationKind } from './ast.ts';

/**
 * The arguments of each operation in Cardbind syntax, in order. Parameter names are the property
 * names in the AST, so the parser and the formatter are both driven by this one table.
 */
export type ParamType =
  | { type: 'count' } // whole number ≥ 0
  | { type: 'position' } // whole number; negative counts from the end
  | { type: 'char' } // exactly one character
  | { type: 'text' } // any text, possibly empty
  | { type: 'choice'; choices: readonly string[] };

export type Param = ParamType & { name: string; optional?: boolean; default?: string };

const none: readonly Param[] = [];
const count = (name: string): Param => ({ name, type: 'count' });
const char = (name: string): Param => ({ name, type: 'char' });
const text: readonly Param[] = [{ name: 'text', type: 'text' }];
const frameInput: Param = {
  name: 'input',
  type: 'choice',
  choices: ['hex', 'bin'],
  optional: true,
  default: 'hex',
};

export const SIGNATURES: Readonly<Record<OperationKind, readonly Param[]>> = {
  'hex-to-dec': none,
  'dec-to-hex': none,
  'hex-to-bin': none,
  'bin-to-hex': none,
  'dec-to-bin': none,
  'bin-to-dec': none,
  'ascii-unpack': none,
  'ascii-unpack-if-encoded': none,
  'reverse-bytes': none,
  upper: none,
  lower: none,
  expect: [{ name: 'radix', type: 'choice', choices: ['hex', 'dec', 'bin'] }],
  'take-left': [count('count')],
  'take-right': [count('count')],
  'drop-left': [count('count')],
  'drop-right': [count('count')],
  slice: [
    { name: 'start', type: 'position' },
    { name: 'end', type: 'position', optional: true },
  ],
  bits: [count('start'), count('length')],
  'pad-left': [count('length'), char('fill')],
  'pad-right': [count('length'), char('fill')],
  'strip-left': [char('char')],
  'strip-right': [char('char')],
  prepend: text,
  append: text,
  const: text,
  original: none,
  'wiegand-26': [{ name: 'field', type: 'choice', choices: ['facility', 'card'] }, frameInput],
  'wiegand-35': [{ name: 'field', type: 'choice', choices: ['company', 'card'] }, frameInput],
};

export const OPERATION_NAMES = Object.keys(SIGNATURES) as OperationKind[];

export function isOperationName(name: string): name is OperationKind {
  return Object.hasOwn(SIGNATURES, name);
}

/** `pad-left LENGTH FILL`, `slice START [END]`, `wiegand-26 facility|card [hex|bin]`. */
export function usage(kind: OperationKind): string {
  const params = SIGNATURES[kind].map((p) => {
    const shown = p.type === 'choice' ? p.choices.join('|') : p.name.toUpperCase();
    return p.optional === true ? `[${shown}]` : shown;
  });
  return [kind, ...params].join(' ');
}
