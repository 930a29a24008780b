import { render } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { createActor } from 'xstate';
import { createHttpBackend, type KioskBackend } from '../backend.ts';
import { createBridgeBackend, kioskBridgeOf } from '../bridge-backend.ts';
import { DEFAULT_PAGE_CONFIG, type KioskPageConfig } from '../kiosk-api.ts';
import { backendActors, kioskMachine, type KioskSnapshot } from '../machine.ts';
import { App } from './App.tsx';
import { catalogFor } from './i18n/index.ts';
import { useWedgeReader } from './input/wedge.ts';
import { applyReaderStatus, initialReaderHealth, isReaderOffline } from './reader-health.ts';
import './styles.css';

type KioskActor = ReturnType<typeof startKiosk>;

/** Wires a backend and the terminal's config to the flow machine. */
function startKiosk(backend: KioskBackend, config: KioskPageConfig) {
  const machine = kioskMachine.provide({
    actors: backendActors(backend, { policyRefreshMs: config.policyRefreshMs }),
  });
  // The machine derives its waits, retries and language from the config it keeps.
  const actor = createActor(machine, { input: config });
  actor.start();
  return actor;
}

function Root(props: { actor: KioskActor; backend: KioskBackend; config: KioskPageConfig }) {
  const { actor, backend, config } = props;
  const [snapshot, setSnapshot] = useState<KioskSnapshot>(actor.getSnapshot());
  const [readerHealth, setReaderHealth] = useState(initialReaderHealth);
  useEffect(() => {
    const subscription = actor.subscribe(setSnapshot);
    return () => subscription.unsubscribe();
  }, [actor]);
  // Card reads from the reader daemon, through the kiosk host.
  useEffect(
    () =>
      backend.subscribe((event) => {
        if (event.type === 'card') actor.send({ type: 'CARD_READ', cardId: event.card.cardId });
        else setReaderHealth((health) => applyReaderStatus(health, event.reader));
      }),
    [actor, backend],
  );
  // Card reads from a keyboard-wedge reader typing into the window: no daemon needed.
  useWedgeReader((cardId) => actor.send({ type: 'CARD_READ', cardId }), config.wedge);
  const { language } = snapshot.context;
  // In the same task as the render, before paint: the page never shows text in one language
  // while <html lang> (what screen readers pronounce by) still names the other.
  useLayoutEffect(() => {
    document.title = catalogFor(language).documentTitle;
    document.documentElement.lang = language;
  }, [language]);
  return (
    <App
      snapshot={snapshot}
      send={actor.send}
      readerOffline={isReaderOffline(readerHealth)}
      readerLink={readerHealth.link}
      physicalKeyboard={config.panel?.physicalKeyboard ?? false}
    />
  );
}

/** The terminal's config from the host; the defaults when the host cannot say. */
async function loadConfig(backend: KioskBackend): Promise<KioskPageConfig> {
  try {
    return await backend.config();
  } catch {
    return DEFAULT_PAGE_CONFIG;
  }
}

const container = document.getElementById('app');
if (!container) throw new Error('The kiosk page has no #app element.');
// One interface, two adapters: the Electron shell's preload bridge when there is one, else HTTP.
const bridge = kioskBridgeOf(window);
const backend = bridge ? createBridgeBackend(bridge) : createHttpBackend();
const config = await loadConfig(backend);
const actor = startKiosk(backend, config);
render(<Root actor={actor} backend={backend} config={config} />, container);
