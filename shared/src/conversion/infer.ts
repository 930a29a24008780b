/**
 * Finds the shortest pipeline that turns every raw reader value into the number the database
 * holds, like SAFEQ's card conversion tool: breadth-first over candidate operations whose
 * parameters come from the examples, remembering every intermediate state already reached.
 */
import type { Operation, Pipeline } from './ast.ts';
import { runOperation } from './operations.ts';

export interface CardPair {
  raw: string;
  expected: string;
}

export interface InferOptions {
  /** Longest pipeline tried; at most 4. */
  maxDepth?: number;
  /**
   * Operations tried before giving up. A count rather than a clock keeps the answer the same on
   * every machine; the default takes well under a second.
   */
  maxNodes?: number;
}

export const MIN_PAIRS = 3;
const MAX_DEPTH = 4;
const DEFAULT_MAX_NODES = 200_000;
// No card number is this long; longer intermediate values only lead nowhere.
const MAX_VALUE_LENGTH = 80;

interface Node {
  values: readonly string[];
  op?: Operation;
  parent?: Node;
}

/**
 * The shortest pipeline mapping every `raw` to its `expected`, or null when none is found within
 * the depth and node budget. Fewer than three pairs would let too many pipelines fit by chance.
 */
export function inferPipeline(
  pairs: readonly CardPair[],
  options: InferOptions = {},
): Pipeline | null {
  if (pairs.length < MIN_PAIRS) {
    throw new RangeError(`inferPipeline needs at least ${MIN_PAIRS} pairs, got ${pairs.length}`);
  }
  const maxDepth = Math.min(options.maxDepth ?? MAX_DEPTH, MAX_DEPTH);
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const raws = pairs.map((p) => p.raw);
  const expected = pairs.map((p) => p.expected);
  const goal = stateKey(expected);
  if (stateKey(raws) === goal) return [];

  const candidates = candidateOperations(pairs);
  const seen = new Set([stateKey(raws)]);
  let frontier: Node[] = [{ values: raws }];
  let nodes = 0;
  for (let depth = 1; depth <= maxDepth; depth++) {
    const next: Node[] = [];
    for (const node of frontier) {
      for (const op of candidates) {
        if (++nodes > maxNodes) return null;
        const values = applyToAll(op, node.values, raws);
        if (values === undefined) continue;
        const key = stateKey(values);
        if (seen.has(key)) continue;
        seen.add(key);
        const child: Node = { values, op, parent: node };
        if (key === goal) return pathTo(child);
        next.push(child);
      }
    }
    frontier = next;
  }
  return null;
}

function applyToAll(op: Operation, values: readonly string[], originals: readonly string[]) {
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const result = runOperation(op, values[i] ?? '', originals[i] ?? '');
    if (!result.ok || result.value.length > MAX_VALUE_LENGTH) return undefined;
    out.push(result.value);
  }
  return out;
}

const stateKey = (values: readonly string[]): string => values.join('\u0000');

function pathTo(node: Node): Operation[] {
  const ops: Operation[] = [];
  for (let n: Node | undefined = node; n?.op !== undefined; n = n.parent) ops.unshift(n.op);
  return ops;
}

/**
 * Operations worth trying, simplest first (so ties go to the most readable pipeline). Lengths and
 * texts are taken from the examples: pad to the expected length, cut at byte boundaries or at
 * the expected length, add the prefix or suffix all expected values share.
 */
function candidateOperations(pairs: readonly CardPair[]): Operation[] {
  const raws = pairs.map((p) => p.raw);
  const expected = pairs.map((p) => p.expected);
  const maxRaw = Math.max(...raws.map((r) => r.length));
  const expectedLengths = distinct(expected.map((e) => e.length));

  const ops: Operation[] = [
    { kind: 'hex-to-dec' },
    { kind: 'dec-to-hex' },
    { kind: 'reverse-bytes' },
    { kind: 'upper' },
    { kind: 'lower' },
    { kind: 'ascii-unpack' },
    { kind: 'hex-to-bin' },
    { kind: 'bin-to-hex' },
    { kind: 'dec-to-bin' },
    { kind: 'bin-to-dec' },
    { kind: 'strip-left', char: '0' },
  ];
  for (const input of ['hex', 'bin'] as const) {
    ops.push({ kind: 'wiegand-26', field: 'card', input });
    ops.push({ kind: 'wiegand-26', field: 'facility', input });
    ops.push({ kind: 'wiegand-35', field: 'card', input });
    ops.push({ kind: 'wiegand-35', field: 'company', input });
  }
  for (const length of expectedLengths) ops.push({ kind: 'pad-left', length, fill: '0' });

  const cuts = distinct([
    ...range(1, maxRaw - 1).filter((n) => n % 2 === 0),
    ...expectedLengths,
    ...pairs.map((p) => p.raw.length - p.expected.length),
  ]).filter((n) => n > 0 && n < maxRaw);
  for (const count of cuts) {
    ops.push({ kind: 'take-right', count }, { kind: 'take-left', count });
    ops.push({ kind: 'drop-left', count }, { kind: 'drop-right', count });
  }

  // Bit fields of a hexadecimal frame: right-aligned, or after one leading parity bit.
  const width = 4 * maxRaw;
  for (const length of [8, 12, 16, 20, 24, 32].filter((l) => l < width)) {
    for (const start of distinct([0, 1, width - length - 1, width - length])) {
      if (start >= 0) ops.push({ kind: 'bits', start, length });
    }
  }

  for (const text of affixes(commonPrefix(expected), 'start')) ops.push({ kind: 'prepend', text });
  for (const text of affixes(commonSuffix(expected), 'end')) ops.push({ kind: 'append', text });
  return ops;
}

function commonPrefix(values: readonly string[]): string {
  const [first = ''] = values;
  let n = first.length;
  for (const v of values) {
    while (n > 0 && !v.startsWith(first.slice(0, n))) n--;
  }
  return first.slice(0, n);
}

function commonSuffix(values: readonly string[]): string {
  const reversed = values.map((v) => [...v].reverse().join(''));
  return [...commonPrefix(reversed)].reverse().join('');
}

/** Up to 8 characters of a shared prefix (from its start) or suffix (from its end), shortest first. */
function affixes(shared: string, side: 'start' | 'end'): string[] {
  return range(1, Math.min(shared.length, 8)).map((n) =>
    side === 'start' ? shared.slice(0, n) : shared.slice(shared.length - n),
  );
}

const range = (from: number, to: number): number[] =>
  to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);

const distinct = <T>(values: readonly T[]): T[] => [...new Set(values)];
