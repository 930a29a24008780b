/**
 * A page with a controlled text field in a form and the wedge hook, for wedge.browser.test.ts:
 * cards found and forms submitted are recorded on `window` for the test to read.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useWedgeReader, type WedgeOptions } from './wedge.ts';

export interface WedgeHarness {
  start(options: WedgeOptions): void;
  cards: string[];
  submitted: string[];
  /** Set once the hook listens: effects run after the first paint, in order. */
  ready: boolean;
}

const harness: WedgeHarness = { start, cards: [], submitted: [], ready: false };

function Page({ options }: { options: WedgeOptions }) {
  const [name, setName] = useState('');
  useWedgeReader((cardId) => harness.cards.push(cardId), options);
  useEffect(() => {
    harness.ready = true;
  }, []);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        harness.submitted.push(name);
      }}
    >
      <label for="name">Name</label>
      <input id="name" value={name} onInput={(event) => setName(event.currentTarget.value)} />
      <output for="name" data-testid="state">
        {name}
      </output>
    </form>
  );
}

function start(options: WedgeOptions) {
  const container = document.getElementById('app');
  if (!container) throw new Error('The harness page has no #app element.');
  render(<Page options={options} />, container);
}

(window as unknown as { harness: WedgeHarness }).harness = harness;
