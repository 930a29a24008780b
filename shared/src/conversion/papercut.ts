/**
 * PaperCut card number converters (`ext-device.card-no-converter`): names chained with `|`, e.g.
 * `ascii-enc|hex2dec`. Source: PaperCut embedded manuals, "Card Number Format Converters" (see
 * README.md for the addresses).
 */
import type { Pipeline } from './ast.ts';
import { compileRule, syntaxError, unknownRule } from './rule-table.ts';
import type { RuleSite, RuleTable } from './rule-table.ts';

const CONVERTERS: RuleTable = {
  hex2dec: { usage: 'hex2dec', params: [], compile: () => [{ kind: 'hex-to-dec' }] },
  dec2hex: { usage: 'dec2hex', params: [], compile: () => [{ kind: 'dec-to-hex' }] },
  'ascii-enc': { usage: 'ascii-enc', params: [], compile: () => [{ kind: 'ascii-unpack' }] },
  // Not in the manuals we could read: taken as ascii-enc whose result must be decimal digits, so
  // at worst it refuses a value ascii-enc would accept, never converts it differently.
  'ascii-dec': {
    usage: 'ascii-dec',
    params: [],
    compile: () => [{ kind: 'ascii-unpack' }, { kind: 'expect', radix: 'dec' }],
  },
};

const JAVASCRIPT_REFUSAL =
  'JavaScript converters are not supported: Cardbind does not run site scripts, because a script ' +
  'could do anything with the privileges of the server and its result cannot be checked. ' +
  'Rewrite the conversion in Cardbind syntax, e.g. "ascii-unpack | hex-to-dec | pad-left 10 0"';

export function parsePapercut(expression: string): Pipeline {
  if (expression.trim() === '') return [];
  const steps = [];
  let start = 0;
  let ruleIndex = 0;
  for (const segment of expression.split('|')) {
    ruleIndex++;
    const name = segment.trim();
    const site: RuleSite = {
      dialect: 'papercut',
      expression,
      position: start + segment.length - segment.trimStart().length,
      ruleIndex,
      rule: name,
    };
    start += segment.length + 1;
    if (name === '') throw syntaxError(site, 'empty converter (is there a "|" too many?)');
    if (/^javascript:/i.test(name)) throw syntaxError(site, JAVASCRIPT_REFUSAL);
    const spec = CONVERTERS[name];
    if (spec === undefined) throw unknownRule(site, name, CONVERTERS);
    steps.push(...compileRule(site, spec, undefined));
  }
  return steps;
}

export const PAPERCUT_NAMES: readonly string[] = Object.keys(CONVERTERS);
