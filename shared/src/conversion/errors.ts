import type { Dialect } from './ast.ts';

export interface SyntaxProblem {
  dialect: Dialect;
  expression: string;
  /** 0-based character offset of the offending rule (or token) in `expression`. */
  position: number;
  /** 1-based index of the rule, counted left to right across the whole expression. */
  ruleIndex: number;
  /** The offending rule as written; empty when the problem is a missing rule. */
  rule: string;
  problem: string;
}

/** The expression itself is wrong: nothing has been converted. */
export class ConversionSyntaxError extends Error {
  readonly dialect: Dialect;
  readonly expression: string;
  readonly position: number;
  readonly ruleIndex: number;
  readonly rule: string;

  constructor(details: SyntaxProblem) {
    const where =
      details.rule === ''
        ? `rule ${details.ruleIndex}`
        : `rule ${details.ruleIndex} "${details.rule}"`;
    super(`${where}: ${details.problem}`);
    this.name = 'ConversionSyntaxError';
    this.dialect = details.dialect;
    this.expression = details.expression;
    this.position = details.position;
    this.ruleIndex = details.ruleIndex;
    this.rule = details.rule;
  }
}

/**
 * A valid pipeline could not convert this value. The message never repeats the value: card numbers
 * are personal data and these errors end up in logs.
 */
export class ConversionError extends Error {
  /** 1-based step numbers, with branch numbers between them inside concatenations. */
  readonly stepPath: readonly number[];
  /** The failing operation in Cardbind syntax. */
  readonly operation: string;
  readonly reason: string;

  constructor(stepPath: readonly number[], operation: string, reason: string) {
    super(`${describePath(stepPath)} "${operation}": ${reason}`);
    this.name = 'ConversionError';
    this.stepPath = stepPath;
    this.operation = operation;
    this.reason = reason;
  }
}

function describePath(path: readonly number[]): string {
  return path.map((n, i) => (i % 2 === 0 ? `step ${n}` : `branch ${n}`)).join(' › ');
}
