import { useState } from 'preact/hooks';
import {
  nextShiftState,
  shiftAfterCharacter,
  shiftedCharacter,
  type EditKey,
  type ShiftState,
} from './keys.ts';
import { LAYERS, NUMERIC_PAD, keyWidth, type KeySpec, type LayerName } from './layouts.ts';

/** Accessible names (and visible words) of the keys that are not characters. */
export interface KeyboardLabels {
  /** Names the keyboard as a whole, e.g. "On-screen keyboard". */
  label: string;
  shift: string;
  symbols: string;
  letters: string;
  space: string;
  backspace: string;
  done: string;
}

export interface OnScreenKeyboardProps {
  /** `full` for usernames, passwords and OTPs; `numeric` is a digit pad for PINs. */
  mode: 'full' | 'numeric';
  labels: KeyboardLabels;
  /** Start shifted (`locked` for upper-case OTPs). Applies when the keyboard mounts. */
  initialShift?: ShiftState;
  /** A key that edits text: the owner applies it to the focused field. */
  onEdit(key: EditKey): void;
  /** The done key: the owner moves on (next field) or submits. */
  onDone(): void;
  /** Every key, including shift and layer keys: keeps an inactivity timer from firing. */
  onActivity(): void;
}

/**
 * A touch keyboard made of real buttons. Keys never take focus (their mousedown is cancelled),
 * so the caret stays in the field being typed into and a physical keyboard keeps working.
 * They are also out of the tab order: someone with a physical keyboard types directly.
 */
export function OnScreenKeyboard(props: OnScreenKeyboardProps) {
  const { labels } = props;
  const [layer, setLayer] = useState<LayerName>('letters');
  const [shift, setShift] = useState<ShiftState>(props.initialShift ?? 'off');
  const rows = props.mode === 'numeric' ? NUMERIC_PAD : LAYERS[layer];

  const press = (key: KeySpec) => {
    props.onActivity();
    switch (key.kind) {
      case 'char':
        props.onEdit({ type: 'insert', text: shiftedCharacter(key.char, shift) });
        setShift(shiftAfterCharacter);
        return;
      case 'space':
        props.onEdit({ type: 'insert', text: ' ' });
        return;
      case 'backspace':
        props.onEdit({ type: 'backspace' });
        return;
      case 'shift':
        setShift(nextShiftState);
        return;
      case 'layer':
        setLayer(key.to);
        return;
      case 'done':
        props.onDone();
        return;
    }
  };

  return (
    <div
      class={`osk osk-${props.mode}`}
      role="group"
      aria-label={labels.label}
      data-layer={layer}
      data-shift={shift}
    >
      {rows.map((row, index) => (
        <div class="osk-row" key={`${layer}-${index}`}>
          {row.map((key) => (
            <Key key={keyId(key)} spec={key} shift={shift} labels={labels} onPress={press} />
          ))}
        </div>
      ))}
    </div>
  );
}

function keyId(key: KeySpec): string {
  return key.kind === 'char' ? `char-${key.char}` : key.kind;
}

function Key(props: {
  spec: KeySpec;
  shift: ShiftState;
  labels: KeyboardLabels;
  onPress(key: KeySpec): void;
}) {
  const { spec, shift, labels } = props;
  const common = {
    type: 'button' as const,
    tabIndex: -1,
    style: { flexGrow: keyWidth(spec) },
    // Keeps focus (and the caret) in the field; the click still fires and types.
    onMouseDown: (event: MouseEvent) => event.preventDefault(),
    onClick: () => props.onPress(spec),
  };
  switch (spec.kind) {
    case 'char':
      return (
        <button {...common} class="osk-key">
          {shiftedCharacter(spec.char, shift)}
        </button>
      );
    case 'shift':
      return (
        <button
          {...common}
          class="osk-key osk-fn"
          aria-label={labels.shift}
          aria-pressed={shift !== 'off'}
          data-shift={shift}
        >
          <span class="osk-glyph" aria-hidden="true">
            {shift === 'locked' ? '⇪' : '⇧'}
          </span>
        </button>
      );
    case 'layer':
      return (
        // Visible: the conventions every phone uses, short in any language; heard: the catalog's words.
        <button
          {...common}
          class="osk-key osk-fn"
          aria-label={spec.to === 'symbols' ? labels.symbols : labels.letters}
        >
          <span aria-hidden="true">{spec.to === 'symbols' ? '?123' : 'ABC'}</span>
        </button>
      );
    case 'space':
      return (
        <button {...common} class="osk-key osk-fn">
          {labels.space}
        </button>
      );
    case 'backspace':
      return (
        <button {...common} class="osk-key osk-fn" aria-label={labels.backspace}>
          <span class="osk-glyph" aria-hidden="true">
            ⌫
          </span>
        </button>
      );
    case 'done':
      return (
        <button {...common} class="osk-key osk-done">
          {labels.done}
        </button>
      );
  }
}
