import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  initialWedgeState,
  stepWedge,
  type WedgeKey,
  type WedgeOptions,
  type WedgeVerdict,
} from './wedge.ts';

const OPTIONS: WedgeOptions = { maxGapMs: 35, minLength: 4, maxLength: 128 };

/** Feeds keys at the given times; returns every card found. */
function cardsOf(keys: WedgeKey[], options = OPTIONS): string[] {
  let state = initialWedgeState;
  const cards: string[] = [];
  for (const key of keys) {
    const step = stepWedge(state, key, options);
    state = step.state;
    if (step.verdict.kind === 'card') cards.push(step.verdict.cardId);
  }
  return cards;
}

function verdictsOf(keys: WedgeKey[], options = OPTIONS): WedgeVerdict['kind'][] {
  let state = initialWedgeState;
  return keys.map((key) => {
    const step = stepWedge(state, key, options);
    state = step.state;
    return step.verdict.kind;
  });
}

/** Keys typed one after another, each `gaps[i]` ms after the previous (the first at `start`). */
function timed(keys: string[], gaps: number[], start = 1000): WedgeKey[] {
  let time = start;
  return keys.map((key, i) => {
    time += i === 0 ? 0 : (gaps[(i - 1) % gaps.length] ?? 0);
    return { key, timeMs: time };
  });
}

const cardId = fc.string({
  unit: fc.constantFrom(...'0123456789ABCDEFabcdef-:;'),
  minLength: 4,
  maxLength: 40,
});
const fastGap = fc.integer({ min: 0, max: OPTIONS.maxGapMs });
const slowGap = fc.integer({ min: OPTIONS.maxGapMs + 1, max: 2000 });

describe('wedge detector', () => {
  it('reads a fast burst ending in Enter as one card', () => {
    expect(cardsOf(timed([...'04A1B2C3', 'Enter'], [8]))).toEqual(['04A1B2C3']);
    expect(verdictsOf(timed([...'04A1', 'Enter'], [8]))).toEqual([
      'start',
      'burst',
      'burst',
      'burst',
      'card',
    ]);
  });

  it('finds every fast burst, whatever the gaps within the limit', () => {
    fc.assert(
      fc.property(cardId, fc.array(fastGap, { minLength: 1 }), (id, gaps) => {
        expect(cardsOf(timed([...id, 'Enter'], gaps))).toEqual([id]);
      }),
    );
  });

  it('never reads a person typing slowly as a card', () => {
    fc.assert(
      fc.property(cardId, fc.array(slowGap, { minLength: 1 }), (id, gaps) => {
        expect(cardsOf(timed([...id, 'Enter'], gaps))).toEqual([]);
      }),
    );
  });

  it('needs every gap fast: one pause in the last minLength keys is a person', () => {
    fc.assert(
      fc.property(cardId, fc.nat(), slowGap, fastGap, (id, where, slow, fast) => {
        const keys = [...id, 'Enter'];
        // A pause before one of the last minLength characters or before Enter.
        const pauseAt = keys.length - 1 - (where % OPTIONS.minLength);
        const gaps = keys.slice(1).map((_, i) => (i + 1 === pauseAt ? slow : fast));
        expect(cardsOf(timed(keys, gaps))).toEqual([]);
      }),
    );
  });

  it('reads the swipe alone after slow typing, and again after a first swipe', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abc xyz'), maxLength: 10 }),
        cardId,
        cardId,
        (typing, first, second) => {
          const person = timed([...typing], [200], 0);
          const swipe = (id: string, start: number) => timed([...id, 'Enter'], [10], start);
          const a = swipe(first, 10_000);
          const b = swipe(second, 20_000);
          expect(cardsOf([...person, ...a, ...b])).toEqual([first, second]);
        },
      ),
    );
  });

  it('ignores Shift and AltGr between characters (capitals and @ on some layouts)', () => {
    const keys = ['0', 'Shift', 'A', 'AltGraph', '@', 'Shift', 'B', 'Enter'];
    expect(cardsOf(timed(keys, [5]))).toEqual(['0A@B']);
  });

  it('refuses too short, too long, late Enter, repeats, shortcuts and spaces', () => {
    expect(cardsOf(timed([...'123', 'Enter'], [5]))).toEqual([]);
    expect(cardsOf(timed([...'1234', 'Enter'], [5, 5, 5, 36]))).toEqual([]);
    expect(cardsOf(timed([...'x'.repeat(129), 'Enter'], [1]))).toEqual([]);
    expect(cardsOf(timed([...'x'.repeat(128), 'Enter'], [1]))).toEqual(['x'.repeat(128)]);
    const repeated = timed([...'aaaaa', 'Enter'], [5]).map((k, i) => ({
      ...k,
      repeat: i > 0 && i < 5,
    }));
    expect(cardsOf(repeated)).toEqual([]);
    const shortcut = timed([...'1234', 'Enter'], [5]).map((k, i) => ({ ...k, shortcut: i === 2 }));
    expect(cardsOf(shortcut)).toEqual([]);
    expect(cardsOf(timed([...'12 34', 'Enter'], [5]))).toEqual([]);
    expect(cardsOf(timed(['1', '2', 'Backspace', '3', '4', 'Enter'], [5]))).toEqual([]);
  });

  it('ends in the initial state after a card, whatever came before', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ key: fc.constantFrom('a', '1', 'Enter', 'Shift', 'Tab'), gap: fc.nat(100) }),
        ),
        cardId,
        (noise, id) => {
          let state = initialWedgeState;
          let time = 0;
          for (const { key, gap } of noise)
            state = stepWedge(state, { key, timeMs: (time += gap) }, OPTIONS).state;
          time += 1000; // a pause, then the swipe
          for (const key of [...id, 'Enter']) {
            state = stepWedge(state, { key, timeMs: (time += 1) }, OPTIONS).state;
          }
          expect(state).toEqual(initialWedgeState);
        },
      ),
    );
  });
});
