/**
 * A page with nothing but the credential form, for CredentialForm.browser.test.ts: props come
 * from the test, callbacks are recorded on `window` for it to read. The kiosk's own style sheet
 * is loaded too, so the form is checked in the cascade it meets in the real page.
 */
import { render } from 'preact';
import '../styles.css';
import { en } from '../i18n/en.ts';
import {
  CredentialForm,
  credentialFormLabels,
  type CredentialFormProps,
} from './CredentialForm.tsx';

export type HarnessProps = Omit<
  CredentialFormProps,
  'labels' | 'onSubmit' | 'onCancel' | 'onActivity' | 'children'
> & {
  withChooser?: boolean;
  /** Mount a new form instead of updating the one shown (state starts over). */
  fresh?: boolean;
};

export interface HarnessEvents {
  submitted: { username: string; secret: string }[];
  cancelled: number;
  activity: number;
}

export interface Harness {
  render(props: HarnessProps): void;
  events: HarnessEvents;
}

/** The kiosk's English words, with a submit button of the harness's own. */
const labels = credentialFormLabels(en, 'Sign in');
const events: HarnessEvents = { submitted: [], cancelled: 0, activity: 0 };
let generation = 0;
const container = document.getElementById('app');
if (!container) throw new Error('The harness page has no #app element.');

const harness: Harness = {
  events,
  render({ withChooser, fresh, ...props }) {
    if (fresh) generation++;
    render(
      <div class="kiosk">
        <CredentialForm
          key={generation}
          {...props}
          labels={labels}
          onSubmit={(values) => events.submitted.push(values)}
          onCancel={() => events.cancelled++}
          onActivity={() => events.activity++}
        >
          {withChooser && (
            <div class="cf-actions" role="group" aria-label="Method">
              <button type="button" class="cf-button cf-secondary">
                Password
              </button>
              <button type="button" class="cf-button cf-secondary">
                One-time
              </button>
              <button type="button" class="cf-button cf-secondary">
                Short ID
              </button>
            </div>
          )}
        </CredentialForm>
      </div>,
      container,
    );
  },
};

// Not a global type augmentation: only this page has it.
(window as unknown as { harness: Harness }).harness = harness;
