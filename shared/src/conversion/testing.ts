import { ConversionSyntaxError } from './errors.ts';

/** For tests: the syntax error `run` throws, so its fields can be checked one by one. */
export function catchSyntax(run: () => unknown): ConversionSyntaxError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConversionSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a ConversionSyntaxError');
}
