import { render } from 'preact';
import { ApiClient, type KeyValueStorage } from './api.ts';
import { App, LANGUAGE_STORAGE_KEY } from './App.tsx';
import { pickLanguage } from './i18n/i18n.ts';
import './styles.css';

function storage(kind: 'sessionStorage' | 'localStorage'): KeyValueStorage | null {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

const api = new ApiClient({ storage: storage('sessionStorage') });
const language = pickLanguage(
  storage('localStorage')?.getItem(LANGUAGE_STORAGE_KEY) ?? null,
  navigator.languages,
);
const container = document.getElementById('app');
if (!container) throw new Error('The portal page has no #app element.');
render(<App api={api} initialLanguage={language} />, container);
