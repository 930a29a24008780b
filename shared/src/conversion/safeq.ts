/**
 * SAFEQ Cloud / YSoft SafeQ 6 / Dispatcher Paragon card number conversion: rules separated by `;`,
 * parameters in parentheses, independent chains joined by `+`, e.g.
 * `Substring(2);Hex2Dec;LeftPadding(0,3) + Substring(2,6);Hex2Dec`. Rule names are case-sensitive.
 *
 * `+` binds loosest: each side is a whole `;` chain run on the expression's input and the results
 * are joined (see README.md for why).
 */
import type { Operation, Pipeline } from './ast.ts';
import { compileRule, syntaxError, unknownRule } from './rule-table.ts';
import type { RuleSite, RuleTable } from './rule-table.ts';

const simple = (usage: string, op: Operation) => ({
  usage,
  params: [],
  compile: () => [op],
});

const RULES: RuleTable = {
  ASCII2Hex: simple('ASCII2Hex', { kind: 'ascii-unpack-if-encoded' }),
  Bin2Dec: simple('Bin2Dec', { kind: 'bin-to-dec' }),
  CardNo: simple('CardNo', { kind: 'original' }),
  Const: {
    usage: 'Const(text)',
    params: ['text'],
    compile: (a) => [{ kind: 'const', text: a.text(0) }],
  },
  Dec2Bin: simple('Dec2Bin', { kind: 'dec-to-bin' }),
  Dec2Hex: simple('Dec2Hex', { kind: 'dec-to-hex' }),
  // Hex2Bin and RightPadding are read by analogy with Dec2Bin and LeftPadding: the documentation
  // we could read lists them only in part (README.md).
  Hex2Bin: simple('Hex2Bin', { kind: 'hex-to-bin' }),
  Hex2Dec: simple('Hex2Dec', { kind: 'hex-to-dec' }),
  LeftAppend: {
    usage: 'LeftAppend(text)',
    params: ['text'],
    compile: (a) => [{ kind: 'prepend', text: a.text(0) }],
  },
  LeftPadding: {
    usage: 'LeftPadding(character, length)',
    params: ['char', 'count'],
    compile: (a) => [{ kind: 'pad-left', length: a.number(1), fill: a.text(0) }],
  },
  RightAppend: {
    usage: 'RightAppend(text)',
    params: ['text'],
    compile: (a) => [{ kind: 'append', text: a.text(0) }],
  },
  RightPadding: {
    usage: 'RightPadding(character, length)',
    params: ['char', 'count'],
    compile: (a) => [{ kind: 'pad-right', length: a.number(1), fill: a.text(0) }],
  },
  Substring: {
    usage: 'Substring(start) or Substring(start, end)',
    params: ['position', 'position'],
    optional: 1,
    compile: (a) => [
      a.has(1)
        ? { kind: 'slice', start: a.number(0), end: a.number(1) }
        : { kind: 'slice', start: a.number(0) },
    ],
  },
};

interface Segment {
  text: string;
  start: number;
}

export function parseSafeq(expression: string): Pipeline {
  if (expression.trim() === '') return [];
  checkParentheses(expression);
  let ruleIndex = 0;
  const branches = splitOutsideParentheses(expression, '+', 0).map((branch) =>
    splitOutsideParentheses(branch.text, ';', branch.start).flatMap((segment) =>
      compileSegment(expression, segment, ++ruleIndex),
    ),
  );
  const [only] = branches;
  return branches.length === 1 && only !== undefined ? only : [{ kind: 'concat', branches }];
}

const RULE = /^([A-Za-z][A-Za-z0-9]*)\s*(?:\(([\s\S]*)\))?$/;

function compileSegment(expression: string, segment: Segment, ruleIndex: number): Operation[] {
  const rule = segment.text.trim();
  const site: RuleSite = {
    dialect: 'safeq',
    expression,
    position: segment.start + segment.text.length - segment.text.trimStart().length,
    ruleIndex,
    rule,
  };
  if (rule === '') throw syntaxError(site, 'empty rule (is there a ";" or "+" too many?)');
  const match = RULE.exec(rule);
  const name = match?.[1];
  if (match === null || name === undefined) {
    throw syntaxError(site, 'expected a rule name, optionally followed by (parameters)');
  }
  const spec = RULES[name];
  if (spec === undefined) throw unknownRule(site, name, RULES);
  return compileRule(site, spec, match[2]);
}

function splitOutsideParentheses(text: string, separator: string, offset: number): Segment[] {
  const segments: Segment[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === separator && depth === 0) {
      segments.push({ text: text.slice(start, i), start: offset + start });
      start = i + 1;
    }
  }
  segments.push({ text: text.slice(start), start: offset + start });
  return segments;
}

function checkParentheses(expression: string): void {
  let depth = 0;
  let opened = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression.charAt(i);
    if (c === '(') {
      if (depth === 0) opened = i;
      depth++;
    } else if (c === ')') {
      if (depth === 0)
        throw parenthesisError(expression, i, 'unexpected ")" without a matching "("');
      depth--;
    }
  }
  if (depth > 0) {
    throw parenthesisError(
      expression,
      opened,
      `the "(" at character ${opened + 1} is never closed`,
    );
  }
}

function parenthesisError(expression: string, position: number, problem: string) {
  const before = expression.slice(0, position);
  const ruleIndex = (before.match(/[;+]/g)?.length ?? 0) + 1;
  return syntaxError({ dialect: 'safeq', expression, position, ruleIndex, rule: '' }, problem);
}

export const SAFEQ_NAMES: readonly string[] = Object.keys(RULES);
