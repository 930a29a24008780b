/**
 * The conversion pipeline every dialect compiles to: a list of typed steps applied left to right to
 * a card number (always a string, so leading zeros and letter case survive until a step decides).
 */

export type Dialect = 'cardbind' | 'papercut' | 'safeq' | 'myq';

export const DIALECTS: readonly Dialect[] = ['cardbind', 'papercut', 'safeq', 'myq'];

export type Radix = 'hex' | 'dec' | 'bin';

/** How a raw Wiegand frame reaches us: as hexadecimal digits or as a string of 0/1. */
export type FrameEncoding = 'hex' | 'bin';

export type Operation =
  | { kind: 'hex-to-dec' }
  | { kind: 'dec-to-hex' }
  | { kind: 'hex-to-bin' }
  | { kind: 'bin-to-hex' }
  | { kind: 'dec-to-bin' }
  | { kind: 'bin-to-dec' }
  | { kind: 'ascii-unpack' }
  | { kind: 'ascii-unpack-if-encoded' }
  | { kind: 'reverse-bytes' }
  | { kind: 'upper' }
  | { kind: 'lower' }
  | { kind: 'expect'; radix: Radix }
  | { kind: 'take-left'; count: number }
  | { kind: 'take-right'; count: number }
  | { kind: 'drop-left'; count: number }
  | { kind: 'drop-right'; count: number }
  | { kind: 'slice'; start: number; end?: number }
  | { kind: 'bits'; start: number; length: number }
  | { kind: 'pad-left'; length: number; fill: string }
  | { kind: 'pad-right'; length: number; fill: string }
  | { kind: 'strip-left'; char: string }
  | { kind: 'strip-right'; char: string }
  | { kind: 'prepend'; text: string }
  | { kind: 'append'; text: string }
  | { kind: 'const'; text: string }
  | { kind: 'original' }
  | { kind: 'wiegand-26'; field: 'facility' | 'card'; input: FrameEncoding }
  | { kind: 'wiegand-35'; field: 'company' | 'card'; input: FrameEncoding };

export type OperationKind = Operation['kind'];

/**
 * Runs every branch on the same input and joins the results (SAFEQ's `+`). Always two branches or
 * more, each non-empty: the parsers never build anything else, so formatting stays unambiguous.
 */
export interface Concat {
  kind: 'concat';
  branches: readonly Pipeline[];
}

export type Step = Operation | Concat;

/** An empty pipeline is the identity: no conversion configured. */
export type Pipeline = readonly Step[];
