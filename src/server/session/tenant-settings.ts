/**
 * Tenant settings: defaults, validation, and the two origin checks other parts need
 * (the web enrolment UI uses isFrameParentAllowed for frame-ancestors and postMessage targets).
 */
import { STEPS, type Step, type TenantSettings } from './types.js';

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  allowedReturnOrigins: [],
  allowedFrameOrigins: [],
  steps: ['document', 'face'],
  tokenLifetimeS: null,
};

/** `https://host[:port]` of a URL, or null when it is not an absolute http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (u.username || u.password) return null;
    return u.origin;
  } catch {
    return null;
  }
}

/** Normalises an origin given by an operator; throws on anything but scheme://host[:port]. */
export function normaliseOrigin(value: string): string {
  const o = originOf(value);
  if (!o || new URL(value).pathname.replace(/\/$/, '') !== '') throw new Error(`not an origin: ${value}`);
  return o;
}

export function isReturnUrlAllowed(settings: TenantSettings, returnUrl: string): boolean {
  const o = originOf(returnUrl);
  return o !== null && settings.allowedReturnOrigins.includes(o);
}

/** Whether `origin` (as a browser sends it, e.g. the iframe parent's) may embed our page. */
export function isFrameParentAllowed(settings: TenantSettings, origin: string): boolean {
  const o = originOf(origin);
  return o !== null && settings.allowedFrameOrigins.includes(o);
}

export function parseSteps(value: string): Step[] {
  const steps = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (steps.length === 0) throw new Error('at least one step');
  for (const s of steps) if (!(STEPS as readonly string[]).includes(s)) throw new Error(`unknown step ${s}`);
  return [...new Set(steps)] as Step[];
}
