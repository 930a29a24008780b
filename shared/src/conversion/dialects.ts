import type { Dialect, Pipeline } from './ast.ts';
import { applyPipeline } from './apply.ts';
import { parseCardbind } from './cardbind-syntax.ts';
import { ConversionSyntaxError } from './errors.ts';
import { MYQ_NAMES, parseMyq } from './myq.ts';
import { PAPERCUT_NAMES, parsePapercut } from './papercut.ts';
import { parseSafeq, SAFEQ_NAMES } from './safeq.ts';
import { OPERATION_NAMES } from './signatures.ts';
import { editDistance } from './suggest.ts';

const PARSERS: Readonly<Record<Dialect, (expression: string) => Pipeline>> = {
  cardbind: parseCardbind,
  papercut: parsePapercut,
  safeq: parseSafeq,
  myq: parseMyq,
};

const NAMES: Readonly<Record<Dialect, readonly string[]>> = {
  cardbind: OPERATION_NAMES,
  papercut: PAPERCUT_NAMES,
  safeq: SAFEQ_NAMES,
  myq: MYQ_NAMES,
};

// No expression parses in two dialects with different meanings (their names do not overlap), so
// the order only decides which dialect an empty expression is reported in.
const DETECTION_ORDER: readonly Dialect[] = ['cardbind', 'papercut', 'myq', 'safeq'];

/**
 * The dialect `expression` is written in: the first that parses it, else the likeliest one, so
 * that parsing reports the mistake in the terms of the system the admin copied it from.
 */
export function detectDialect(expression: string): Dialect {
  if (/^\s*javascript:/i.test(expression)) return 'papercut';
  for (const dialect of DETECTION_ORDER) {
    try {
      PARSERS[dialect](expression);
      return dialect;
    } catch (error) {
      if (!(error instanceof ConversionSyntaxError)) throw error;
    }
  }
  return likeliestDialect(expression);
}

/** Throws `ConversionSyntaxError` pointing at the offending rule. */
export function parseExpression(expression: string, dialect?: Dialect): Pipeline {
  return PARSERS[dialect ?? detectDialect(expression)](expression);
}

/** Parses and applies in one go; see `parseExpression` and `applyPipeline` for the errors. */
export function convert(expression: string, value: string, dialect?: Dialect): string {
  return applyPipeline(parseExpression(expression, dialect), value);
}

/** Scores each dialect by how well the words of the expression match its operation names. */
function likeliestDialect(expression: string): Dialect {
  const words = expression.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? [];
  let best: Dialect = 'cardbind';
  let bestScore = -1;
  for (const dialect of DETECTION_ORDER) {
    let score = structuralHint(expression, dialect);
    for (const word of words) score += wordScore(word, NAMES[dialect]);
    if (score > bestScore) {
      best = dialect;
      bestScore = score;
    }
  }
  return best;
}

function wordScore(word: string, names: readonly string[]): number {
  if (names.includes(word)) return 3;
  const lower = word.toLowerCase();
  if (names.some((n) => n.toLowerCase() === lower)) return 2;
  if (names.some((n) => editDistance(n.toLowerCase(), lower) <= 2)) return 1;
  return 0;
}

function structuralHint(expression: string, dialect: Dialect): number {
  switch (dialect) {
    case 'safeq':
      return /;/.test(expression) || /\b[A-Z][A-Za-z0-9]*\s*\(/.test(expression) ? 1 : 0;
    case 'myq':
      return /\b[a-z][a-z0-9]*\s*\(/.test(expression) ? 1 : 0;
    case 'cardbind':
      return /[a-z]+-[a-z]+\s+\S/.test(expression) ? 1 : 0;
    case 'papercut':
      return 0;
  }
}
