import type { Pipeline } from './ast.ts';
import { ConversionError } from './errors.ts';
import { formatOperation } from './format.ts';
import { runOperation } from './operations.ts';

/** Converts one card number; throws `ConversionError` naming the step that could not. */
export function applyPipeline(pipeline: Pipeline, value: string): string {
  return run(pipeline, value, value, []);
}

function run(pipeline: Pipeline, input: string, original: string, path: readonly number[]): string {
  let value = input;
  pipeline.forEach((step, i) => {
    const here = [...path, i + 1];
    if (step.kind === 'concat') {
      // Every branch starts from the value entering the concatenation, not from its sibling.
      const entering = value;
      value = step.branches
        .map((branch, b) => run(branch, entering, original, [...here, b + 1]))
        .join('');
      return;
    }
    const result = runOperation(step, value, original);
    if (!result.ok) throw new ConversionError(here, formatOperation(step), result.reason);
    value = result.value;
  });
  return value;
}
