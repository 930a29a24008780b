import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchSyntax } from './testing.ts';
import type { Operation, Pipeline, Step } from './index.ts';
import { formatPipeline, parseExpression } from './index.ts';

const parse = (expression: string) => parseExpression(expression, 'cardbind');

describe('Cardbind syntax', () => {
  it('parses a pipeline of operations with arguments', () => {
    expect(parse('hex-to-dec | pad-left 10 0 | upper')).toEqual([
      { kind: 'hex-to-dec' },
      { kind: 'pad-left', length: 10, fill: '0' },
      { kind: 'upper' },
    ]);
  });

  it('gives "+" the lowest precedence and lets parentheses group', () => {
    expect(parse('slice 0 2 | hex-to-dec + slice 2 | hex-to-dec')).toEqual([
      {
        kind: 'concat',
        branches: [
          [{ kind: 'slice', start: 0, end: 2 }, { kind: 'hex-to-dec' }],
          [{ kind: 'slice', start: 2 }, { kind: 'hex-to-dec' }],
        ],
      },
    ]);
    expect(parse('reverse-bytes | (take-left 2 + const -) | upper')).toEqual([
      { kind: 'reverse-bytes' },
      {
        kind: 'concat',
        branches: [[{ kind: 'take-left', count: 2 }], [{ kind: 'const', text: '-' }]],
      },
      { kind: 'upper' },
    ]);
  });

  it('flattens parentheses that only group a chain', () => {
    expect(parse('(hex-to-dec | upper) | lower')).toEqual(parse('hex-to-dec | upper | lower'));
  });

  it('reads quoted texts with escapes', () => {
    expect(parse('prepend "a \\"b\\" | c" | append ""')).toEqual([
      { kind: 'prepend', text: 'a "b" | c' },
      { kind: 'append', text: '' },
    ]);
  });

  it('fills optional arguments with their defaults', () => {
    expect(parse('wiegand-26 card')).toEqual([{ kind: 'wiegand-26', field: 'card', input: 'hex' }]);
    expect(formatPipeline(parse('wiegand-26 card hex'))).toBe('wiegand-26 card');
    expect(formatPipeline(parse('wiegand-35 company bin'))).toBe('wiegand-35 company bin');
  });

  it('treats an empty expression as no conversion', () => {
    expect(parse('   ')).toEqual([]);
    expect(formatPipeline([])).toBe('');
  });

  it.each([
    [
      'hex-to-dec | pad-lef 10 0',
      'rule 2 "pad-lef 10 0": unknown operation; did you mean "pad-left"?',
      13,
    ],
    ['hex-to-decc', 'rule 1 "hex-to-decc": unknown operation; did you mean "hex-to-dec"?', 0],
    ['hex-to-dec |', 'rule 2: expected an operation after "|"', 12],
    ['pad-left 10', 'rule 1 "pad-left 10": missing argument FILL (usage: pad-left LENGTH FILL)', 0],
    [
      'pad-left ten 0',
      'rule 1 "pad-left ten 0": argument LENGTH must be a whole number of 0 or more, got "ten" (usage: pad-left LENGTH FILL)',
      0,
    ],
    ['upper x', 'rule 1 "upper x": too many arguments: expected at most 0 (usage: upper)', 0],
    [
      'wiegand-26 site',
      'rule 1 "wiegand-26 site": argument FIELD must be one of facility, card, got "site" (usage: wiegand-26 facility|card [hex|bin])',
      0,
    ],
    ['(hex-to-dec', 'rule 1: missing ")" to close the "(" at character 1', 11],
    ['hex-to-dec)', 'rule 1: unexpected ")" without a matching "("', 10],
    ['prepend "abc', 'rule 1 "prepend": the text starting at character 9 has no closing quote', 8],
    ['hex-to-dec + ', 'rule 2: expected an operation after "+"', 13],
  ])('%s → %s', (expression, message, position) => {
    const error = catchSyntax(() => parse(expression));
    expect(error.message).toBe(message);
    expect(error.position).toBe(position);
    expect(error.dialect).toBe('cardbind');
  });
});

describe('formatPipeline', () => {
  it('writes the canonical form', () => {
    expect(formatPipeline(parse('  hex-to-dec|pad-left   10 "0"  '))).toBe(
      'hex-to-dec | pad-left 10 0',
    );
    expect(formatPipeline(parse('(upper) + lower'))).toBe('upper + lower');
    expect(formatPipeline(parse('(upper + lower) + original'))).toBe('(upper + lower) + original');
    expect(formatPipeline(parse('prepend "a b"'))).toBe('prepend "a b"');
  });

  it('is undone by parsing, for any pipeline', () => {
    fc.assert(
      fc.property(pipelineArbitrary, (pipeline) => {
        expect(parse(formatPipeline(pipeline))).toEqual(pipeline);
      }),
      { numRuns: 500 },
    );
  });
});

const count = fc.integer({ min: 0, max: 40 });
const position = fc.integer({ min: -40, max: 40 });
const char = fc.oneof(
  fc.string({ minLength: 1, maxLength: 1 }),
  fc.constantFrom('|', '+', '(', ')', '"', '\\', ' '),
);
const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', 'a b', '"', '\\', '+|()', '-8'),
);

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.constantFrom<Operation>(
    { kind: 'hex-to-dec' },
    { kind: 'dec-to-hex' },
    { kind: 'hex-to-bin' },
    { kind: 'bin-to-hex' },
    { kind: 'dec-to-bin' },
    { kind: 'bin-to-dec' },
    { kind: 'ascii-unpack' },
    { kind: 'ascii-unpack-if-encoded' },
    { kind: 'reverse-bytes' },
    { kind: 'upper' },
    { kind: 'lower' },
    { kind: 'original' },
  ),
  fc.constantFrom('hex', 'dec', 'bin').map((radix): Operation => ({ kind: 'expect', radix })),
  fc
    .tuple(fc.constantFrom('take-left', 'take-right', 'drop-left', 'drop-right'), count)
    .map(([kind, n]): Operation => ({ kind, count: n })),
  fc
    .tuple(position, fc.option(position, { nil: undefined }))
    .map(([start, end]): Operation =>
      end === undefined ? { kind: 'slice', start } : { kind: 'slice', start, end },
    ),
  fc.tuple(count, count).map(([start, length]): Operation => ({ kind: 'bits', start, length })),
  fc
    .tuple(fc.constantFrom('pad-left', 'pad-right'), count, char)
    .map(([kind, length, fill]): Operation => ({ kind, length, fill })),
  fc
    .tuple(fc.constantFrom('strip-left', 'strip-right'), char)
    .map(([kind, c]): Operation => ({ kind, char: c })),
  fc
    .tuple(fc.constantFrom('prepend', 'append', 'const'), text)
    .map(([kind, t]): Operation => ({ kind, text: t })),
  fc
    .tuple(fc.constantFrom('facility', 'card'), fc.constantFrom('hex', 'bin'))
    .map(([field, input]): Operation => ({ kind: 'wiegand-26', field, input })),
  fc
    .tuple(fc.constantFrom('company', 'card'), fc.constantFrom('hex', 'bin'))
    .map(([field, input]): Operation => ({ kind: 'wiegand-35', field, input })),
);

const { pipeline: pipelineArbitrary } = fc.letrec<{ pipeline: Pipeline; step: Step }>((tie) => ({
  pipeline: fc.array(tie('step'), { minLength: 1, maxLength: 4 }),
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    operationArbitrary,
    fc
      .array(tie('pipeline'), { minLength: 2, maxLength: 3 })
      .map((branches): Step => ({ kind: 'concat', branches })),
  ),
}));
