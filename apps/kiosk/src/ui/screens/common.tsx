import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** One screen: a heading that takes focus when the screen appears, so screen readers announce it. */
export function Screen(props: {
  title: string;
  /** Changes when the screen does: focus moves to the new heading. */
  focusKey: string;
  variant?: 'error' | 'compact';
  children?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.focusKey]);
  const variant = props.variant ? ` ${props.variant}-screen` : '';
  return (
    <main class={`screen${variant}`}>
      <h1 ref={heading} tabIndex={-1}>
        {props.title}
      </h1>
      {props.children}
    </main>
  );
}

export function Actions(props: { children: ComponentChildren }) {
  return <div class="actions">{props.children}</div>;
}

export function Busy({ text }: { text: string }) {
  return (
    <main class="screen busy" aria-busy="true">
      <div class="spinner" aria-hidden="true" />
      <p class="busy-text" role="status">
        {text}
      </p>
    </main>
  );
}

export function CardIcon() {
  return (
    <svg class="card-icon" viewBox="0 0 120 80" aria-hidden="true">
      <rect
        x="4"
        y="14"
        width="76"
        height="52"
        rx="8"
        fill="none"
        stroke="currentColor"
        stroke-width="5"
      />
      <rect x="14" y="26" width="18" height="14" rx="2" fill="currentColor" />
      <path
        d="M92 22a30 30 0 0 1 0 36M102 14a42 42 0 0 1 0 52"
        fill="none"
        stroke="currentColor"
        stroke-width="5"
        stroke-linecap="round"
      />
    </svg>
  );
}
