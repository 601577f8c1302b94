/** Iframe mode: tell the parent page how the session ended, only at the tenant's allowed origins. */
import { targetOrigins, type IframeEventData } from '../shared/embed.js';

/** The embedding page's origin, when the browser exposes it. */
export function parentOrigin(): string | null {
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0] ?? null;
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

export function isFramed(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true;
  }
}

/** Posts `data` to the parent at each allowed target origin (never '*'); returns the origins used. */
export function postToParent(data: IframeEventData, allowed: readonly string[]): string[] {
  if (!isFramed()) return [];
  const targets = targetOrigins(parentOrigin(), allowed);
  for (const origin of targets) window.parent.postMessage(data, origin);
  return targets;
}
