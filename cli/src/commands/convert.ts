import {
  applyPipeline,
  ConversionError,
  ConversionSyntaxError,
  detectDialect,
  DIALECTS,
  formatPipeline,
  inferPipeline,
  parseExpression,
  type Dialect,
} from '@cardbind/shared';
import { Command, InvalidArgumentError, Option } from 'commander';

export function convertCommand(): Command {
  return new Command('convert')
    .description('Convert a card number with an expression, or infer the expression from examples')
    .option(
      '--expr <expression>',
      'conversion expression (Cardbind, PaperCut, SAFEQ or MyQ syntax)',
    )
    .addOption(
      new Option('--dialect <dialect>', 'syntax of --expr (detected when omitted)').choices(
        DIALECTS,
      ),
    )
    .option('--infer', 'find the shortest pipeline mapping each RAW=EXPECTED example')
    .option('--explain', 'also print the dialect and the pipeline in Cardbind syntax (on stderr)')
    .argument('[values...]', 'VALUE to convert, or RAW=EXPECTED pairs with --infer')
    .action(
      (
        values: string[],
        options: { expr?: string; dialect?: Dialect; infer?: boolean; explain?: boolean },
      ) => {
        if (options.infer) return infer(values);
        if (options.expr === undefined)
          throw new InvalidArgumentError('give --expr EXPRESSION VALUE, or --infer RAW=EXPECTED …');
        const [value] = values;
        if (value === undefined || values.length !== 1)
          throw new Error('Give exactly one VALUE to convert.');
        const dialect = options.dialect ?? detectDialect(options.expr);
        try {
          const pipeline = parseExpression(options.expr, dialect);
          if (options.explain)
            console.error(`dialect ${dialect}; as Cardbind pipeline: ${formatPipeline(pipeline)}`);
          console.log(applyPipeline(pipeline, value));
        } catch (error) {
          if (error instanceof ConversionSyntaxError) {
            throw new Error(`Invalid ${error.dialect} expression: ${error.message}`);
          }
          if (error instanceof ConversionError)
            throw new Error(`Cannot convert this value: ${error.message}`);
          throw error;
        }
      },
    );
}

function infer(values: string[]): void {
  const pairs = values.map((pair) => {
    const split = pair.indexOf('=');
    if (split <= 0 || split === pair.length - 1) {
      throw new Error(`"${pair}" is not RAW=EXPECTED (e.g. 04A1B2C3=3283280132).`);
    }
    return { raw: pair.slice(0, split), expected: pair.slice(split + 1) };
  });
  if (pairs.length < 3)
    throw new Error('Give at least three RAW=EXPECTED examples, from different cards.');
  const pipeline = inferPipeline(pairs);
  if (pipeline === null) {
    throw new Error(
      'No conversion of up to 4 steps maps every example. Check the pairs (same reader, same cards) or write the expression by hand.',
    );
  }
  console.log(formatPipeline(pipeline));
}
