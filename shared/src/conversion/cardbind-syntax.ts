/**
 * Parser for Cardbind's own expression syntax (grammar in README.md):
 *
 *   expression = branch { "+" branch }
 *   branch     = step { "|" step }
 *   step       = operation | "(" expression ")"
 *   operation  = name { argument }
 */
import type { Operation, OperationKind, Pipeline, Step } from './ast.ts';
import { ConversionSyntaxError } from './errors.ts';
import { didYouMean } from './suggest.ts';
import { isOperationName, OPERATION_NAMES, SIGNATURES, usage } from './signatures.ts';
import type { Param } from './signatures.ts';

type Token =
  | { type: 'word' | 'string'; value: string; start: number; end: number }
  | { type: '|' | '+' | '(' | ')'; start: number; end: number }
  | { type: 'error'; problem: string; start: number; end: number };

const PUNCTUATION = new Set(['|', '+', '(', ')']);

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '|' || c === '+' || c === '(' || c === ')') {
      tokens.push({ type: c, start: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      tokens.push(quoted(expression, i));
      const last = tokens[tokens.length - 1];
      if (last?.type === 'error') return tokens;
      i = last?.end ?? expression.length;
    } else {
      const start = i;
      while (i < expression.length) {
        const d = expression.charAt(i);
        if (/\s/.test(d) || PUNCTUATION.has(d) || d === '"') break;
        i++;
      }
      tokens.push({ type: 'word', value: expression.slice(start, i), start, end: i });
    }
  }
  return tokens;
}

/** A double-quoted text; a backslash takes the next character literally (\" and \\). */
function quoted(expression: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < expression.length) {
    const c = expression.charAt(i);
    if (c === '"') return { type: 'string', value, start, end: i + 1 };
    if (c === '\\' && i + 1 < expression.length) {
      value += expression.charAt(i + 1);
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  return {
    type: 'error',
    problem: `the text starting at character ${start + 1} has no closing quote`,
    start,
    end: expression.length,
  };
}

export function parseCardbind(expression: string): Pipeline {
  return new Parser(expression).parse();
}

class Parser {
  private readonly tokens: Token[];
  private next = 0;
  private rules = 0;

  constructor(private readonly expression: string) {
    this.tokens = tokenize(expression);
  }

  parse(): Pipeline {
    if (this.tokens.length === 0) return [];
    const pipeline = this.parseExpression();
    const extra = this.peek();
    if (extra !== undefined) {
      const problem =
        extra.type === ')'
          ? 'unexpected ")" without a matching "("'
          : `unexpected ${describe(extra)}`;
      throw this.error(extra.start, '', problem, this.rules);
    }
    return pipeline;
  }

  private parseExpression(): Pipeline {
    const branches = [this.parseBranch()];
    while (this.peek()?.type === '+') {
      this.next++;
      branches.push(this.parseBranch());
    }
    const [only] = branches;
    return branches.length === 1 && only !== undefined ? only : [{ kind: 'concat', branches }];
  }

  private parseBranch(): Step[] {
    const steps = this.parseStep();
    while (this.peek()?.type === '|') {
      this.next++;
      steps.push(...this.parseStep());
    }
    return steps;
  }

  private parseStep(): Step[] {
    const token = this.peek();
    if (token?.type === '(') {
      this.next++;
      const inner = this.parseExpression();
      const close = this.peek();
      if (close?.type !== ')') {
        const at = close?.start ?? this.expression.length;
        throw this.error(
          at,
          '',
          `missing ")" to close the "(" at character ${token.start + 1}`,
          this.rules,
        );
      }
      this.next++;
      return [...inner];
    }
    return [this.parseOperation()];
  }

  private parseOperation(): Operation {
    const ruleIndex = ++this.rules;
    const nameToken = this.peek();
    if (nameToken === undefined) {
      const previous = this.tokens[this.next - 1];
      const after = previous === undefined ? '' : ` after ${describe(previous)}`;
      throw this.error(this.expression.length, '', `expected an operation${after}`, ruleIndex);
    }
    if (nameToken.type === 'error') {
      throw this.error(nameToken.start, '', nameToken.problem, ruleIndex);
    }
    if (nameToken.type !== 'word') {
      throw this.error(
        nameToken.start,
        '',
        `expected an operation, found ${describe(nameToken)}`,
        ruleIndex,
      );
    }
    this.next++;
    const args: Token[] = [];
    for (let t = this.peek(); t?.type === 'word' || t?.type === 'string'; t = this.peek()) {
      args.push(t);
      this.next++;
    }
    const lastArg = args[args.length - 1];
    const rule = this.expression.slice(nameToken.start, (lastArg ?? nameToken).end);
    const fail = (problem: string) => this.error(nameToken.start, rule, problem, ruleIndex);

    const name = nameToken.value;
    if (!isOperationName(name)) throw fail(`unknown operation${didYouMean(name, OPERATION_NAMES)}`);
    const following = this.peek();
    if (following?.type === 'error') {
      throw this.error(following.start, rule, following.problem, ruleIndex);
    }
    if (following?.type === '(') {
      throw fail(`unexpected "(" after the arguments (usage: ${usage(name)})`);
    }
    return buildOperation(name, args, fail);
  }

  private peek(): Token | undefined {
    return this.tokens[this.next];
  }

  private error(position: number, rule: string, problem: string, ruleIndex: number) {
    return new ConversionSyntaxError({
      dialect: 'cardbind',
      expression: this.expression,
      position,
      ruleIndex,
      rule,
      problem,
    });
  }
}

function describe(token: Token): string {
  if (token.type === 'word') return `"${token.value}"`;
  if (token.type === 'string') return 'a quoted text';
  if (token.type === 'error') return 'an unterminated text';
  return `"${token.type}"`;
}

function buildOperation(
  kind: OperationKind,
  args: readonly Token[],
  fail: (problem: string) => ConversionSyntaxError,
): Operation {
  const params = SIGNATURES[kind];
  const required = params.filter((p) => p.optional !== true).length;
  if (args.length < required) {
    const missing = params[args.length]?.name.toUpperCase() ?? '';
    throw fail(`missing argument ${missing} (usage: ${usage(kind)})`);
  }
  if (args.length > params.length) {
    throw fail(`too many arguments: expected at most ${params.length} (usage: ${usage(kind)})`);
  }
  const fields: Record<string, string | number> = {};
  params.forEach((param, i) => {
    const token = args[i];
    if (token?.type === 'word' || token?.type === 'string') {
      fields[param.name] = argumentValue(param, token.value, (problem) =>
        fail(`${problem} (usage: ${usage(kind)})`),
      );
    } else if (param.default !== undefined) {
      fields[param.name] = param.default;
    }
  });
  // The signature table names each parameter after its AST property, so this is the operation.
  return { kind, ...fields } as Operation;
}

function argumentValue(
  param: Param,
  raw: string,
  fail: (problem: string) => ConversionSyntaxError,
): string | number {
  const label = `argument ${param.name.toUpperCase()}`;
  switch (param.type) {
    case 'count':
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        throw fail(`${label} must be a whole number of 0 or more, got "${raw}"`);
      }
      return Number(raw);
    case 'position':
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        throw fail(`${label} must be a whole number (negative counts from the end), got "${raw}"`);
      }
      return Number(raw);
    case 'char':
      if (raw.length !== 1) throw fail(`${label} must be exactly one character, got "${raw}"`);
      return raw;
    case 'text':
      return raw;
    case 'choice':
      if (!param.choices.includes(raw)) {
        throw fail(`${label} must be one of ${param.choices.join(', ')}, got "${raw}"`);
      }
      return raw;
  }
}
