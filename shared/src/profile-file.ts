import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/**
 * Hardware profiles (readers, panels) are JSON files that technicians edit, one per device, in
 * a directory: `<id>.json`. These read them and say what is wrong in words that name the file
 * and the field. Node only: the browser bundles take nothing from here.
 */

/** Which profiles, for the errors: the words (`"reader profile"`) and the error to throw. */
export interface ProfileKind {
  /** What one file holds, as errors name it: "reader profile", "panel profile". */
  name: string;
  error: new (message: string) => Error;
}

/** Ids of the profiles in a directory (file names without `.json`), sorted. */
export function listProfileFiles(dir: string, kind: ProfileKind): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (error) {
    throw new kind.error(`Cannot read the ${kind.name}s directory ${dir}: ${messageOf(error)}`);
  }
  return files
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/**
 * `<dir>/<id>.json`, validated by `schema`, whose `id` must be the file's name. An unknown id
 * lists the ids there are; other errors start with the file (relative to the working directory)
 * and name every wrong field. `check` finds what the schema cannot (`"field: what is wrong"`).
 */
export function readProfileFile<T extends { id: string }>(
  dir: string,
  id: string,
  schema: z.ZodType<T>,
  kind: ProfileKind,
  check: (profile: T) => string | undefined = () => undefined,
): T {
  const available = listProfileFiles(dir, kind);
  if (!available.includes(id)) {
    throw new kind.error(
      `Unknown ${kind.name} "${id}". Available: ${available.join(', ') || 'none'} (in ${dir}).`,
    );
  }
  const file = path.join(dir, `${id}.json`);
  const shown = path.relative(process.cwd(), file) || file;
  const fail = (message: string) => new kind.error(`${shown}: ${message}.`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw fail(`not valid JSON (${messageOf(error)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw fail(`expected a JSON object with the ${kind.name}'s fields`);
  }
  const result = schema.safeParse(json, { reportInput: true });
  if (!result.success) throw fail(describeIssues(result.error.issues));
  const problem = check(result.data);
  if (problem !== undefined) throw fail(problem);
  if (result.data.id !== id) {
    throw fail(`id: "${result.data.id}" must match the file name "${id}"`);
  }
  return result.data;
}

/**
 * `field.path: what is wrong` for every issue, joined by "; ", in words a technician editing
 * the file can act on: unknown keys each get their own entry, a missing field says "required".
 * Needs issues parsed with `{ reportInput: true }` to tell a missing field from a wrong one.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.flatMap(describeIssue).join('; ');
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown field`);
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [`${fieldPath(issue.path)}: required`];
  }
  return [`${fieldPath(issue.path)}: ${issue.message}`];
}

/** `serial.stopBits`, `keys[2].code`; the whole file is `(top level)`. */
function fieldPath(keys: readonly PropertyKey[]): string {
  if (keys.length === 0) return '(top level)';
  return keys
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i ? `.${String(key)}` : String(key)))
    .join('');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
