/**
 * MyQ "ID card transformation" commands: `ltrim(2)`, `hex2dec()`, `lpad(12,0)`… run in order.
 * MyQ's documentation shows the commands one by one, not how they are chained, so we accept them
 * back to back or separated by whitespace, `;` or `|` (README.md).
 */
import type { Pipeline } from './ast.ts';
import { compileRule, syntaxError, unknownRule } from './rule-table.ts';
import type { RuleSite, RuleTable } from './rule-table.ts';

const COMMANDS: RuleTable = {
  ltrim: {
    usage: 'ltrim(number of characters)',
    params: ['count'],
    compile: (a) => [{ kind: 'drop-left', count: a.number(0) }],
  },
  rtrim: {
    usage: 'rtrim(number of characters)',
    params: ['count'],
    compile: (a) => [{ kind: 'drop-right', count: a.number(0) }],
  },
  prepend: {
    usage: 'prepend(character string)',
    params: ['text'],
    compile: (a) => [{ kind: 'prepend', text: a.text(0) }],
  },
  append: {
    usage: 'append(character string)',
    params: ['text'],
    compile: (a) => [{ kind: 'append', text: a.text(0) }],
  },
  left: {
    usage: 'left(number of characters)',
    params: ['count'],
    compile: (a) => [{ kind: 'take-left', count: a.number(0) }],
  },
  right: {
    usage: 'right(number of characters)',
    params: ['count'],
    compile: (a) => [{ kind: 'take-right', count: a.number(0) }],
  },
  mid: {
    usage: 'mid(number of characters, number of characters)',
    params: ['count', 'count'],
    compile: (a) => [
      { kind: 'drop-left', count: a.number(0) },
      { kind: 'drop-right', count: a.number(1) },
    ],
  },
  lpad: {
    usage: 'lpad(number of positions, symbol)',
    params: ['count', 'char'],
    compile: (a) => [{ kind: 'pad-left', length: a.number(0), fill: a.text(1) }],
  },
  hex2dec: { usage: 'hex2dec()', params: [], compile: () => [{ kind: 'hex-to-dec' }] },
  dec2hex: { usage: 'dec2hex()', params: [], compile: () => [{ kind: 'dec-to-hex' }] },
  hex2bin: { usage: 'hex2bin()', params: [], compile: () => [{ kind: 'hex-to-bin' }] },
  bin2hex: { usage: 'bin2hex()', params: [], compile: () => [{ kind: 'bin-to-hex' }] },
  dec2bin: { usage: 'dec2bin()', params: [], compile: () => [{ kind: 'dec-to-bin' }] },
  bin2dec: { usage: 'bin2dec()', params: [], compile: () => [{ kind: 'bin-to-dec' }] },
  reverse: { usage: 'reverse()', params: [], compile: () => [{ kind: 'reverse-bytes' }] },
};

const SEPARATOR = /[\s;|]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function parseMyq(expression: string): Pipeline {
  const steps = [];
  let ruleIndex = 0;
  let i = 0;
  for (;;) {
    while (i < expression.length && SEPARATOR.test(expression.charAt(i))) i++;
    if (i >= expression.length) break;
    ruleIndex++;
    const start = i;
    while (i < expression.length && NAME_CHAR.test(expression.charAt(i))) i++;
    const name = expression.slice(start, i);
    let j = i;
    while (j < expression.length && /\s/.test(expression.charAt(j))) j++;
    let params: string | undefined;
    const site: RuleSite = { dialect: 'myq', expression, position: start, ruleIndex, rule: name };
    if (expression.charAt(j) === '(') {
      const close = expression.indexOf(')', j);
      if (close === -1) {
        throw syntaxError({ ...site, rule: expression.slice(start) }, 'missing ")"');
      }
      params = expression.slice(j + 1, close);
      i = close + 1;
    }
    site.rule = expression.slice(start, i);
    if (name === '') {
      throw syntaxError(
        { ...site, rule: expression.charAt(start) },
        'expected a command name such as hex2dec() or ltrim(2)',
      );
    }
    const spec = COMMANDS[name];
    if (spec === undefined) throw unknownRule(site, name, COMMANDS);
    steps.push(...compileRule(site, spec, params));
  }
  return steps;
}

export const MYQ_NAMES: readonly string[] = Object.keys(COMMANDS);
