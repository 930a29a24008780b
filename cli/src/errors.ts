import { DuplicateError } from '@cardbind/server';
import { ZodError } from 'zod';

/** One line a person can act on, for any error a command may meet. */
export function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues
      .map((issue) => `${issue.path.length ? issue.path.join('.') : 'value'}: ${issue.message}`)
      .join('; ');
  }
  if (error instanceof DuplicateError) return `${error.message}; choose another name.`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      return `${error.message}: the port is taken by another program; pick another with --port.`;
    }
    return error.message;
  }
  return String(error);
}
