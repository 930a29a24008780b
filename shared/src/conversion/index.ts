/**
 * Card-number conversion: one pipeline of typed operations, written in Cardbind's own syntax or
 * imported from PaperCut, SAFEQ / Dispatcher Paragon and MyQ expressions. See README.md.
 */
export type { Concat, Dialect, FrameEncoding, Operation, Pipeline, Radix, Step } from './ast.ts';
export { DIALECTS } from './ast.ts';
export { ConversionError, ConversionSyntaxError } from './errors.ts';
export { applyPipeline } from './apply.ts';
export { convert, detectDialect, parseExpression } from './dialects.ts';
export { formatPipeline } from './format.ts';
export { inferPipeline } from './infer.ts';
export type { CardPair, InferOptions } from './infer.ts';
