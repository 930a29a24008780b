import { useEffect, useRef } from 'preact/hooks';

/**
 * Keyboard-wedge card readers: USB readers that "type" the card number followed by Enter, so a
 * kiosk works with no reader daemon at all. A reader types far faster than a person, and that is
 * the whole test: a burst of at least `minLength` card-id characters, each within `maxGapMs` of
 * the one before, ended by Enter within `maxGapMs` too, is one swipe. Anything slower is a
 * person typing and is left alone.
 *
 * The detector is a pure step function over (key, time) so it is tested with fast-check; the
 * Preact hook below feeds it the window's key events.
 */

export interface WedgeOptions {
  /** Longest pause between two keys of one swipe. Readers type every 5–20 ms; people rarely under 50. */
  maxGapMs: number;
  /** Shortest card id accepted; shorter bursts are fast fingers, not cards. At least 2. */
  minLength: number;
  /** Longest card id accepted (the server's limit is 128). */
  maxLength?: number;
}

export const DEFAULT_WEDGE_OPTIONS: Required<WedgeOptions> = {
  maxGapMs: 35,
  minLength: 4,
  maxLength: 128,
};

/** One keydown: `key` as in KeyboardEvent.key, time in milliseconds on any monotonic clock. */
export interface WedgeKey {
  key: string;
  timeMs: number;
  /** Auto-repeat from a held key: a person, never a reader. */
  repeat?: boolean;
  /** Ctrl, Alt or Meta held: a shortcut, never a reader. */
  shortcut?: boolean;
}

export interface WedgeState {
  /** The card-id characters of the burst so far. */
  chars: string;
  /** When the last of them arrived; null before the first. */
  lastAtMs: number | null;
}

/**
 * `start`: a character that may begin a swipe (the first after a pause); `burst`: a character
 * that continues one; `card`: Enter ended a swipe; `other`: anything else.
 */
export type WedgeVerdict =
  { kind: 'start' } | { kind: 'burst' } | { kind: 'card'; cardId: string } | { kind: 'other' };

export const initialWedgeState: WedgeState = { chars: '', lastAtMs: null };

/** Card ids are printable ASCII without spaces (the server's CardId rule). */
const CARD_CHARACTER = /^[\x21-\x7e]$/;

/**
 * Keys a reader presses on its way to a character without typing anything themselves: Shift
 * for capitals, AltGr for `@` on some layouts. They neither extend nor break a burst.
 */
const MODIFIERS = new Set(['Shift', 'AltGraph']);

export function stepWedge(
  state: WedgeState,
  input: WedgeKey,
  options: WedgeOptions,
): { state: WedgeState; verdict: WedgeVerdict } {
  const maxLength = options.maxLength ?? DEFAULT_WEDGE_OPTIONS.maxLength;
  const minLength = Math.max(2, options.minLength);
  if (MODIFIERS.has(input.key) && !input.repeat) return { state, verdict: { kind: 'other' } };

  const inTime = state.lastAtMs !== null && input.timeMs - state.lastAtMs <= options.maxGapMs;
  const isCardCharacter = CARD_CHARACTER.test(input.key) && !input.repeat && !input.shortcut;

  if (isCardCharacter) {
    if (inTime) {
      // One character past the limit is kept, marking the burst as too long to be a card.
      const chars = state.chars.length > maxLength ? state.chars : state.chars + input.key;
      return { state: { chars, lastAtMs: input.timeMs }, verdict: { kind: 'burst' } };
    }
    return { state: { chars: input.key, lastAtMs: input.timeMs }, verdict: { kind: 'start' } };
  }

  const length = state.chars.length;
  if (
    input.key === 'Enter' &&
    !input.shortcut &&
    inTime &&
    length >= minLength &&
    length <= maxLength
  ) {
    return { state: initialWedgeState, verdict: { kind: 'card', cardId: state.chars } };
  }
  return { state: initialWedgeState, verdict: { kind: 'other' } };
}

/** What a focused text field held before a burst began, to put back once it proves a swipe. */
interface FieldSnapshot {
  field: HTMLInputElement | HTMLTextAreaElement;
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
}

function snapshotFocusedField(): FieldSnapshot | null {
  const field = document.activeElement;
  if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return null;
  return {
    field,
    value: field.value,
    selectionStart: field.selectionStart,
    selectionEnd: field.selectionEnd,
  };
}

function restore(snapshot: FieldSnapshot): void {
  const { field } = snapshot;
  if (!field.isConnected || field.value === snapshot.value) return;
  field.value = snapshot.value;
  if (snapshot.selectionStart !== null && snapshot.selectionEnd !== null) {
    try {
      field.setSelectionRange(snapshot.selectionStart, snapshot.selectionEnd);
    } catch {
      // Some input types (email, number) have no selection API; the value is what matters.
    }
  }
  // Controlled components (Preact's onInput) learn the value from this event.
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Calls `onCard` for every swipe of a keyboard-wedge reader, from the window's keydown events.
 *
 * What the reader types into a focused field is UNDONE rather than prevented. Prevention would
 * need to know that a key belongs to a swipe when it arrives, and that is only known at the
 * Enter: the first character of any burst would still land in the field, and a fast person's
 * keys (two within the gap happen with key rollover) would be swallowed if the burst turned out
 * to be typing. Instead every character goes through, the field's value and selection are
 * remembered when a burst starts, and when Enter proves it a swipe the field is put back as it
 * was (with an `input` event, so controlled components follow) and that Enter is cancelled, so
 * it neither submits a form nor moves focus. People typing lose nothing; a swipe leaves nothing
 * behind but a flicker of at most a few hundred milliseconds.
 *
 * Listens in the capture phase, so the Enter is stopped before any field's own handler sees it.
 */
export function useWedgeReader(
  onCard: (cardId: string) => void,
  options: WedgeOptions & { enabled?: boolean },
): void {
  const latest = useRef({ onCard, options });
  latest.current = { onCard, options };
  const enabled = options.enabled ?? true;

  useEffect(() => {
    if (!enabled) return;
    let state = initialWedgeState;
    let snapshot: FieldSnapshot | null = null;
    const onKeyDown = (event: KeyboardEvent) => {
      const step = stepWedge(
        state,
        {
          key: event.key,
          // The event's own time: when the key arrived, not when this handler got to run.
          timeMs: event.timeStamp,
          repeat: event.repeat,
          shortcut: event.ctrlKey || event.altKey || event.metaKey,
        },
        latest.current.options,
      );
      state = step.state;
      switch (step.verdict.kind) {
        case 'start':
          snapshot = snapshotFocusedField();
          return;
        case 'card':
          event.preventDefault();
          event.stopImmediatePropagation();
          if (snapshot) restore(snapshot);
          snapshot = null;
          latest.current.onCard(step.verdict.cardId);
          return;
        case 'other':
          if (state.chars === '') snapshot = null;
          return;
        case 'burst':
          return;
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [enabled]);
}
