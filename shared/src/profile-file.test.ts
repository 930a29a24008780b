import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  describeIssues,
  listProfileFiles,
  readProfileFile,
  type ProfileKind,
} from './profile-file.ts';

class GadgetError extends Error {}
const GADGETS: ProfileKind = { name: 'gadget profile', error: GadgetError };

const Gadget = z.strictObject({
  id: z.string(),
  size: z.int({ error: 'expected a whole number' }).min(1, 'expected at least 1'),
  keys: z.array(z.strictObject({ code: z.string({ error: 'expected text' }) })).optional(),
});

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) throw new Error('expected the value to be refused');
  return describeIssues(result.error.issues);
};

describe('describeIssues', () => {
  it('names each field with what is wrong, in the order zod found them', () => {
    expect(issuesOf(Gadget, { size: 0.5, colour: 'red', shape: 'round' })).toBe(
      'id: required; size: expected a whole number; colour: unknown field; shape: unknown field',
    );
  });

  it('writes array positions in brackets and says when the whole file is wrong', () => {
    expect(issuesOf(Gadget, { id: 'g', size: 1, keys: [{ code: 'a' }, { code: 7 }] })).toBe(
      'keys[1].code: expected text',
    );
    expect(issuesOf(Gadget, 'a string')).toMatch(/^\(top level\): /);
  });

  it('lists every unknown field by its name', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,11}$/), { maxLength: 5 }),
        (extra) => {
          const unknown = extra.filter((key) => !['id', 'size', 'keys'].includes(key));
          const value = { id: 'g', size: 1, ...Object.fromEntries(unknown.map((k) => [k, 1])) };
          const result = Gadget.safeParse(value, { reportInput: true });
          const text = result.success ? '' : describeIssues(result.error.issues);
          expect(text).toBe(unknown.map((key) => `${key}: unknown field`).join('; '));
        },
      ),
    );
  });
});

describe('profile files', () => {
  let dir: string;
  const write = (id: string, content: unknown) =>
    writeFileSync(
      path.join(dir, `${id}.json`),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  /** The error `readProfileFile` throws, checked to be the kind's own class. */
  const refusal = (id: string, check?: (gadget: z.infer<typeof Gadget>) => string | undefined) => {
    try {
      readProfileFile(dir, id, Gadget, GADGETS, check);
    } catch (error) {
      expect(error).toBeInstanceOf(GadgetError);
      return (error as Error).message;
    }
    throw new Error('expected the profile to be refused');
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cardbind-profile-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the JSON files by id, sorted, and reads a valid one', () => {
    write('b', { id: 'b', size: 2 });
    write('a', { id: 'a', size: 1 });
    writeFileSync(path.join(dir, 'notes.txt'), 'not a profile');
    expect(listProfileFiles(dir, GADGETS)).toEqual(['a', 'b']);
    expect(readProfileFile(dir, 'b', Gadget, GADGETS)).toEqual({ id: 'b', size: 2 });
  });

  it('names the directory it cannot read', () => {
    const missing = path.join(dir, 'missing');
    expect(() => listProfileFiles(missing, GADGETS)).toThrow(
      `Cannot read the gadget profiles directory ${missing}: `,
    );
  });

  it('lists the ids there are for an unknown one', () => {
    expect(refusal('nope')).toBe(`Unknown gadget profile "nope". Available: none (in ${dir}).`);
    write('a', { id: 'a', size: 1 });
    expect(refusal('nope')).toBe(`Unknown gadget profile "nope". Available: a (in ${dir}).`);
  });

  it('starts every other error with the file and ends it with a full stop', () => {
    const shown = path.relative(process.cwd(), path.join(dir, 'g.json'));
    write('g', '{ "id": ');
    expect(refusal('g')).toMatch(new RegExp(`^${shown.replace(/[.\\]/g, '\\$&')}: not valid JSON`));
    write('g', '[]');
    expect(refusal('g')).toBe(`${shown}: expected a JSON object with the gadget profile's fields.`);
    write('g', { id: 'g', size: 0, colour: 'red' });
    expect(refusal('g')).toBe(`${shown}: size: expected at least 1; colour: unknown field.`);
    write('g', { id: 'other', size: 1 });
    expect(refusal('g')).toBe(`${shown}: id: "other" must match the file name "g".`);
  });

  it("adds the caller's own check, after the schema's", () => {
    write('g', { id: 'g', size: 3 });
    const odd = (gadget: { size: number }) =>
      gadget.size % 2 ? 'size: expected an even number' : undefined;
    expect(refusal('g', odd)).toMatch(/g\.json: size: expected an even number\.$/);
    write('g', { id: 'g', size: 4 });
    expect(readProfileFile(dir, 'g', Gadget, GADGETS, odd)).toEqual({ id: 'g', size: 4 });
  });
});
