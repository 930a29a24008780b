/**
 * Structured logs: one JSON object per line on stderr, so stdout stays free for command output
 * (tokens, URLs) that scripts read. Callers pass context, never secrets; card ids go through
 * `maskCardId` first.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type Threshold = LogLevel | 'silent';
export type LogContext = Record<string, unknown>;

export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
  child(context: LogContext): Logger;
}

const ORDER: Record<Threshold, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LoggerOptions {
  level?: Threshold;
  write?: (line: string) => void;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}, base: LogContext = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const emit = (level: LogLevel, message: string, context?: LogContext) => {
    if (ORDER[level] < threshold) return;
    write(
      JSON.stringify({ time: now().toISOString(), level, message, ...base, ...context }, errorJson),
    );
  };
  return {
    debug: (m, c) => emit('debug', m, c),
    info: (m, c) => emit('info', m, c),
    warn: (m, c) => emit('warn', m, c),
    error: (m, c) => emit('error', m, c),
    child: (context) => createLogger(options, { ...base, ...context }),
  };
}

/** A logger that drops everything: for tests and library callers that do not log. */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });

function errorJson(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  return value;
}
