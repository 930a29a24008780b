import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskCardId } from './card-id.ts';

describe('maskCardId', () => {
  it('keeps only the last four characters', () => {
    expect(maskCardId('04A1B2C3D4')).toBe('******C3D4');
    expect(maskCardId('ABC')).toBe('***');
  });

  it('never reveals more than four characters of any id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 128 }), (id) => {
        const masked = maskCardId(id);
        const revealed = masked.replace(/^\*+/, '');
        expect(revealed.length).toBeLessThanOrEqual(4);
        expect(id.endsWith(revealed)).toBe(true);
      }),
    );
  });
});
