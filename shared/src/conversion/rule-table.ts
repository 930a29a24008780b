/**
 * Shared machinery for the foreign dialects, whose rules all look like `Name` or `Name(a, b)`:
 * a table per dialect says what each rule takes and which Cardbind operations it becomes.
 */
import type { Dialect, Operation } from './ast.ts';
import { ConversionSyntaxError } from './errors.ts';
import { closestName } from './suggest.ts';

/** count: whole number ≥ 0; position: may be negative; char: one character; text: the rest. */
export type RuleParam = 'count' | 'position' | 'char' | 'text';

export interface RuleArgs {
  number(index: number): number;
  text(index: number): string;
  has(index: number): boolean;
}

export interface RuleSpec {
  /** As the vendor documents it, e.g. `LeftPadding(character, length)`; used in error messages. */
  usage: string;
  params: readonly RuleParam[];
  /** How many trailing parameters may be left out. */
  optional?: number;
  compile(args: RuleArgs): Operation[];
}

export type RuleTable = Readonly<Record<string, RuleSpec>>;

export interface RuleSite {
  dialect: Dialect;
  expression: string;
  position: number;
  ruleIndex: number;
  rule: string;
}

export function syntaxError(site: RuleSite, problem: string): ConversionSyntaxError {
  return new ConversionSyntaxError({ ...site, problem });
}

/** An unknown name, with a suggestion; a name differing only in case says so. */
export function unknownRule(site: RuleSite, name: string, table: RuleTable): ConversionSyntaxError {
  const names = Object.keys(table);
  const best = closestName(name, names);
  if (best === undefined) return syntaxError(site, 'unknown operation');
  const caseOnly = best.toLowerCase() === name.toLowerCase();
  const note = caseOnly ? ' (names are case-sensitive)' : '';
  return syntaxError(site, `unknown operation${note}; did you mean "${best}"?`);
}

/** `rawParams` is the text between the parentheses, or undefined when there were none. */
export function compileRule(
  site: RuleSite,
  spec: RuleSpec,
  rawParams: string | undefined,
): Operation[] {
  const values = splitParams(spec, rawParams);
  const required = spec.params.length - (spec.optional ?? 0);
  if (values.length < required || values.length > spec.params.length) {
    const expected =
      required === spec.params.length ? `${required}` : `${required} to ${spec.params.length}`;
    throw syntaxError(
      site,
      `expected ${expected} parameter${spec.params.length === 1 ? '' : 's'}, got ${values.length} (usage: ${spec.usage})`,
    );
  }
  const parsed = values.map((raw, i) => parseParam(site, spec, spec.params[i] ?? 'text', raw, i));
  return spec.compile({
    number: (i) => {
      const v = parsed[i];
      return typeof v === 'number' ? v : 0;
    },
    text: (i) => String(parsed[i] ?? ''),
    has: (i) => i < parsed.length,
  });
}

function splitParams(spec: RuleSpec, rawParams: string | undefined): string[] {
  if (rawParams === undefined || rawParams.trim() === '') return [];
  // A lone text parameter takes everything, commas included.
  if (spec.params.length === 1 && spec.params[0] === 'text') return [rawParams.trim()];
  return rawParams.split(',').map((p) => p.trim());
}

function parseParam(
  site: RuleSite,
  spec: RuleSpec,
  type: RuleParam,
  raw: string,
  index: number,
): string | number {
  const label = `parameter ${index + 1}`;
  const fail = (problem: string) => syntaxError(site, `${label} ${problem} (usage: ${spec.usage})`);
  switch (type) {
    case 'count':
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        throw fail(`must be a whole number of 0 or more, got "${raw}"`);
      }
      return Number(raw);
    case 'position':
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        throw fail(`must be a whole number, got "${raw}"`);
      }
      return Number(raw);
    case 'char':
      if (raw.length !== 1) throw fail(`must be exactly one character, got "${raw}"`);
      return raw;
    case 'text':
      return raw;
  }
}
