import type { Concat, Operation, Pipeline, Step } from './ast.ts';
import { SIGNATURES } from './signatures.ts';

/**
 * Cardbind syntax for a pipeline; `parseExpression(formatPipeline(p), 'cardbind')` rebuilds `p`.
 * A pipeline that is one concatenation is written without parentheses (`a + b`), every other
 * concatenation inside them.
 */
export function formatPipeline(pipeline: Pipeline): string {
  const [only] = pipeline;
  if (pipeline.length === 1 && only?.kind === 'concat') return formatBranches(only);
  return formatSteps(pipeline);
}

function formatSteps(steps: Pipeline): string {
  return steps.map(formatStep).join(' | ');
}

function formatStep(step: Step): string {
  return step.kind === 'concat' ? `(${formatBranches(step)})` : formatOperation(step);
}

function formatBranches(concat: Concat): string {
  return concat.branches.map(formatSteps).join(' + ');
}

export function formatOperation(op: Operation): string {
  // The signature table names each parameter after its AST property.
  const fields = op as unknown as Record<string, string | number | undefined>;
  const args = SIGNATURES[op.kind].map((param) => {
    const value = fields[param.name];
    return { param, value };
  });
  // Trailing optional arguments that are absent or at their default are left out.
  while (args.length > 0) {
    const last = args[args.length - 1];
    if (last === undefined || last.param.optional !== true) break;
    if (last.value !== undefined && last.value !== last.param.default) break;
    args.pop();
  }
  return [op.kind, ...args.map(({ value }) => formatArgument(value ?? ''))].join(' ');
}

// Bare words are anything but whitespace, the operators, parentheses, quotes and backslashes.
const BARE_WORD = /^[^\s|+()"\\]+$/;

function formatArgument(value: string | number): string {
  const text = String(value);
  if (BARE_WORD.test(text)) return text;
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
