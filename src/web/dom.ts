/** Tiny DOM helpers: no framework, no inline styles or handlers (the CSP forbids them). */

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** A button that calls `onClick`; large touch target via CSS class `btn`. */
export function button(label: string, onClick: () => void, variant: 'primary' | 'secondary' = 'primary', id?: string): HTMLButtonElement {
  const b = h('button', { type: 'button', class: `btn btn-${variant}`, id });
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * Replace the screen's content and move focus to its heading, so screen readers announce the new
 * screen and keyboard users start from its top.
 */
export function showScreen(root: HTMLElement, screen: HTMLElement): void {
  root.replaceChildren(screen);
  const heading = screen.querySelector<HTMLElement>('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/** Announce a status politely (progress) or assertively (errors) through the page's live regions. */
export function announce(text: string, assertive = false): void {
  const region = document.getElementById(assertive ? 'live-assertive' : 'live-polite');
  if (!region) return;
  region.textContent = '';
  // A new text node in a separate task makes screen readers read repeated messages too.
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}
