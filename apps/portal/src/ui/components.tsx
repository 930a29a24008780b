import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { usePortal } from './context.ts';
import { errorText, isPermissionDenied } from './errors.ts';
import type { MessageKey } from './i18n/i18n.ts';
import { hrefOf, isModifiedClick, type Route } from './router.ts';

/** A link to a portal page: a real `href` (new tabs work), navigation without a reload. */
export function Link(props: {
  route: Route;
  children: ComponentChildren;
  class?: string;
  current?: boolean;
}) {
  const { navigate } = usePortal();
  return (
    <a
      href={hrefOf(props.route)}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (isModifiedClick(event)) return;
        event.preventDefault();
        navigate(props.route);
      }}
    >
      {props.children}
    </a>
  );
}

export function PageHeader(props: { title: string; intro?: string; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Moving focus to the new page's heading tells screen readers that the page changed.
  useEffect(() => heading.current?.focus(), [props.title]);
  return (
    <div class="page-header">
      <div>
        <h1 tabIndex={-1} ref={heading}>
          {props.title}
        </h1>
        {props.intro && <p class="intro">{props.intro}</p>}
      </div>
      {props.children && <div class="page-actions">{props.children}</div>}
    </div>
  );
}

export function Notice(props: {
  kind: 'error' | 'success' | 'info' | 'warning';
  children: ComponentChildren;
}) {
  return (
    <div
      class={`notice notice-${props.kind}`}
      role={props.kind === 'error' || props.kind === 'warning' ? 'alert' : 'status'}
    >
      {props.children}
    </div>
  );
}

export function Section(props: { title: string; children: ComponentChildren; class?: string }) {
  const id = useId();
  return (
    <section class={`panel ${props.class ?? ''}`} aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'onInput' | 'value' | 'label'>;

/** A labelled text input with an optional hint below it. */
export function TextField(
  props: InputProps & {
    label: string;
    value: string;
    onValue: (value: string) => void;
    hint?: string;
  },
) {
  const id = useId();
  const { label, value, onValue, hint, ...input } = props;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        {...input}
        value={value}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function NumberField(props: {
  label: string;
  value: number;
  onValue: (value: number) => void;
  min: number;
  max: number;
  hint?: string;
}) {
  const id = useId();
  return (
    <div class="field field-number">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        step={1}
        required
        value={String(props.value)}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onInput={(event) => {
          const value = event.currentTarget.valueAsNumber;
          if (Number.isFinite(value)) props.onValue(value);
        }}
      />
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

export function Checkbox(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div class="check">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

export function SelectField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: Array<{ value: string; label: string }>;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onValue(e.currentTarget.value)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Loads data for a view, again whenever `deps` change; stale answers are dropped. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Shows a resource: loading, the permission-denied page, an error with retry, or the data. */
export function Loaded<T>(props: {
  resource: Resource<T>;
  children: (data: T) => ComponentChildren;
}) {
  const { t } = usePortal();
  const { data, error, loading, reload } = props.resource;
  if (error !== undefined && isPermissionDenied(error)) return <Denied message={error.message} />;
  if (error !== undefined) {
    return (
      <Notice kind="error">
        <p>{errorText(t, error)}</p>
        <button type="button" class="secondary" onClick={reload}>
          {t('common.retry')}
        </button>
      </Notice>
    );
  }
  if (data === undefined) {
    return loading ? (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    ) : null;
  }
  return <>{props.children(data)}</>;
}

/**
 * A loaded list as a table, one row per item; the `empty` text when there are none. Loading,
 * errors and the permission-denied page as {@link Loaded} shows them.
 */
export function ResourceTable<T>(props: {
  resource: Resource<T[]>;
  columns: string[];
  caption: string;
  empty: string;
  row: (item: T) => ComponentChildren;
}) {
  return (
    <Loaded resource={props.resource}>
      {(items) =>
        items.length === 0 ? (
          <p class="empty">{props.empty}</p>
        ) : (
          <Table columns={props.columns} caption={props.caption}>
            {items.map(props.row)}
          </Table>
        )
      }
    </Loaded>
  );
}

/** The buttons under an edit form: submit ("Save", off while busy) and "Cancel". */
export function SaveOrCancel(props: { busy: boolean; onCancel: () => void }) {
  const { t } = usePortal();
  return (
    <div class="actions">
      <button type="submit" class="primary" disabled={props.busy}>
        {t('common.save')}
      </button>
      <button type="button" class="secondary" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

type Outcome =
  | { kind: 'success'; key: MessageKey }
  | { kind: 'error'; key: MessageKey }
  | { kind: 'error'; error: unknown };

/**
 * A request the user starts (a save, a delete): busy flag, and its outcome as a message. The
 * outcome is kept untranslated, so switching the language re-words it too.
 */
export function useAction() {
  const { t } = usePortal();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(
    async <T,>(task: () => Promise<T>, success?: MessageKey): Promise<T | undefined> => {
      setBusy(true);
      setOutcome(null);
      try {
        const result = await task();
        if (mounted.current) setOutcome(success ? { kind: 'success', key: success } : null);
        return result;
      } catch (error) {
        if (mounted.current) setOutcome({ kind: 'error', error });
        return undefined;
      } finally {
        if (mounted.current) setBusy(false);
      }
    },
    [],
  );
  const message = outcome && (
    <Notice kind={outcome.kind}>
      {'key' in outcome ? t(outcome.key) : errorText(t, outcome.error)}
    </Notice>
  );
  /** {@link run} for a request whose answer is not needed: whether it went through. */
  const succeeds = useCallback(
    async (task: () => Promise<unknown>, success?: MessageKey): Promise<boolean> =>
      (await run(async () => {
        await task();
        return true;
      }, success)) === true,
    [run],
  );
  /** Shows a problem found before asking the server. */
  const fail = useCallback((key: MessageKey) => setOutcome({ kind: 'error', key }), []);
  return { busy, run, succeeds, message, clear: () => setOutcome(null), fail };
}

/**
 * A secret (OTP, PIN) as it comes back from the server: shown once, copyable, never stored.
 * "Done" drops it from memory; leaving the page does too.
 */
export function SecretBox(props: {
  title: string;
  secret: string;
  details: string[];
  onDone: () => void;
}) {
  const { t } = usePortal();
  const [copied, setCopied] = useState(false);
  const code = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied(true);
    } catch {
      // No clipboard access (older browser, insecure origin): select it for a manual copy.
      const selection = window.getSelection();
      if (code.current && selection) selection.selectAllChildren(code.current);
    }
  };
  return (
    <div class="secret" role="region" aria-label={props.title} data-testid="secret">
      <p class="secret-title">{props.title}</p>
      <code class="secret-value" ref={code}>
        {props.secret}
      </code>
      <p class="secret-warning">{t('secret.once')}</p>
      {props.details.map((line) => (
        <p key={line} class="hint">
          {line}
        </p>
      ))}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void copy()}>
          {t('common.copy')}
        </button>
        <button type="button" class="primary" onClick={props.onDone}>
          {t('common.done')}
        </button>
        <span role="status" class="copied">
          {copied ? t('common.copied') : ''}
        </span>
      </div>
    </div>
  );
}

/** A button that asks once more before doing something that cannot be undone. */
export function ConfirmButton(props: {
  label: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  kind?: 'danger' | 'secondary';
  /** Says what the confirming button does ("Delete queue"); the default is a general "Yes". */
  confirmLabel?: string;
}) {
  const { t } = usePortal();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        class={props.kind ?? 'danger'}
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span class="confirm-question">{props.question}</span>
      <button
        type="button"
        class="danger"
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel ?? t('common.confirm')}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}

/** Previous / next over a list; `total` when the API counts, else "next" while pages are full. */
export function Pager(props: {
  page: number;
  pageSize: number;
  shown: number;
  total?: number;
  onPage: (page: number) => void;
}) {
  const { t } = usePortal();
  const from = (props.page - 1) * props.pageSize + 1;
  const to = from + props.shown - 1;
  const hasNext = props.total === undefined ? props.shown === props.pageSize : to < props.total;
  if (props.page === 1 && !hasNext) return null;
  return (
    <nav class="pager" aria-label={t('common.paging')}>
      <button
        type="button"
        class="secondary"
        disabled={props.page <= 1}
        onClick={() => props.onPage(props.page - 1)}
      >
        {t('common.previous')}
      </button>
      <span>
        {props.shown === 0
          ? ''
          : props.total === undefined
            ? t('common.pageInfoOpen', { from })
            : t('common.pageInfo', { from, to, total: props.total })}
      </span>
      <button
        type="button"
        class="secondary"
        disabled={!hasNext}
        onClick={() => props.onPage(props.page + 1)}
      >
        {t('common.next')}
      </button>
    </nav>
  );
}

export function Denied(props: { message?: string }) {
  const { t, can } = usePortal();
  return (
    <div class="denied">
      <PageHeader title={t('denied.title')} intro={t('denied.text')} />
      {props.message && <p class="hint">{props.message}</p>}
      {can('ViewMyProfile') && (
        <p>
          <Link route={{ name: 'profile' }} class="button primary">
            {t('denied.back')}
          </Link>
        </p>
      )}
    </div>
  );
}

/** Table cells carry their column name so narrow screens can show each row as a card. */
export function Table(props: { columns: string[]; children: ComponentChildren; caption?: string }) {
  return (
    <div class="table-wrap">
      <table class="table">
        {props.caption && <caption class="visually-hidden">{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
