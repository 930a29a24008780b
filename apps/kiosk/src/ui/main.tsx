import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createActor } from 'xstate';
import { createHttpBackend, type KioskBackend } from '../backend.ts';
import { backendActors, kioskMachine, type KioskSnapshot } from '../machine.ts';
import { App } from './App.tsx';
import { applyReaderStatus, initialReaderHealth, isReaderOffline } from './reader-health.ts';
import { en } from './strings.ts';
import './styles.css';

type KioskActor = ReturnType<typeof startKiosk>;

/** Wires a backend to the flow machine: card reads become CARD_READ events. */
function startKiosk(backend: KioskBackend) {
  const actor = createActor(kioskMachine.provide({ actors: backendActors(backend) }));
  actor.start();
  return actor;
}

function Root({ actor, backend }: { actor: KioskActor; backend: KioskBackend }) {
  const [snapshot, setSnapshot] = useState<KioskSnapshot>(actor.getSnapshot());
  const [readerHealth, setReaderHealth] = useState(initialReaderHealth);
  useEffect(() => {
    const subscription = actor.subscribe(setSnapshot);
    return () => subscription.unsubscribe();
  }, [actor]);
  useEffect(
    () =>
      backend.subscribe((event) => {
        if (event.type === 'card') actor.send({ type: 'CARD_READ', cardId: event.card.cardId });
        else setReaderHealth((health) => applyReaderStatus(health, event.reader));
      }),
    [actor, backend],
  );
  return (
    <App snapshot={snapshot} send={actor.send} readerOffline={isReaderOffline(readerHealth)} />
  );
}

const backend = createHttpBackend();
const actor = startKiosk(backend);
document.title = en.documentTitle;
const container = document.getElementById('app');
if (!container) throw new Error('The kiosk page has no #app element.');
render(<Root actor={actor} backend={backend} />, container);
