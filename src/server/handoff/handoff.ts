/**
 * Cross-device handoff: the desktop asks for a phone link; the phone opens it once and gets its
 * OWN access token for the same session (never the integrator's token, which stays on the
 * desktop); the desktop polls the status and ends the flow when the session is completed.
 *
 *   WAITING ──phone opens link (once)──▶ OPENED        (the session's own state shows progress)
 *   WAITING ──HANDOFF_TTL_MS passes──▶ EXPIRED          (the desktop can ask for a new link)
 */
import { decodeJwt } from 'jose';
import QRCode from 'qrcode';
import type { HandoffCreated, HandoffStatus, SessionSnapshot } from '../../shared/embed.js';
import { CodedError } from '../../shared/errors.js';
import type { SessionDeps } from '../session/deps.js';
import { nextDocumentPage, stepsRemaining } from '../session/states.js';
import type { Session } from '../session/types.js';
import { hashCode, newCode, normaliseCode } from './code.js';
import { handoffRepo, type Handoff } from './repo.js';

/** How long a phone link can be opened, ms. Stricter: lower. */
export const HANDOFF_TTL_MS = 10 * 60 * 1000;
/** Lifetime of the phone's own access token, s (capped by the desktop token's expiry). Stricter: lower. */
export const PHONE_TOKEN_LIFETIME_S = 30 * 60;

export function snapshot(session: Session): SessionSnapshot {
  return {
    sessionId: session.id,
    status: session.status,
    steps: session.steps,
    stepsRemaining: stepsRemaining(session),
    nextDocumentPage: nextDocumentPage(session),
  };
}

export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export async function createHandoff(deps: SessionDeps, session: Session, desktopToken: string, lang: string | null): Promise<HandoffCreated> {
  if (session.status === 'COMPLETED') throw new CodedError('SESSION_ALREADY_COMPLETED');
  const now = deps.now();
  const exp = decodeJwt(desktopToken).exp; // verified by requireSession before we get here
  if (typeof exp !== 'number') throw new CodedError('SESSION_UNAUTHORIZED');
  const code = newCode();
  const handoff: Handoff = {
    id: deps.newId(),
    sessionId: session.id,
    codeHash: hashCode(normaliseCode(code)!),
    createdAt: now,
    expiresAt: Math.min(now + HANDOFF_TTL_MS, exp * 1000),
    maxTokenExpS: exp,
    usedAt: null,
  };
  await handoffRepo(deps.store.db).insert(handoff);
  const url = `${deps.publicBaseUrl}/web-enrolment/m/${code}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`;
  return {
    handoffId: handoff.id,
    url,
    qrSvg: await qrSvg(url),
    expiresAt: new Date(handoff.expiresAt).toISOString(),
    lifetimeMinutes: Math.max(1, Math.round((handoff.expiresAt - now) / 60_000)),
  };
}

export async function handoffStatus(deps: SessionDeps, session: Session, handoffId: string): Promise<HandoffStatus> {
  const h = await handoffRepo(deps.store.db).get(handoffId);
  if (!h || h.sessionId !== session.id) throw new CodedError('NOT_FOUND');
  const state = h.usedAt !== null ? 'OPENED' : h.expiresAt <= deps.now() ? 'EXPIRED' : 'WAITING';
  return {
    state,
    session: snapshot(session),
    customerReturnUrl: session.status === 'COMPLETED' ? session.returnUrl : null,
  };
}

/**
 * The phone opens its link: single use, unexpired, for a session still open → a fresh access
 * token for that session. Anything else → null (the page says the link is used or expired).
 */
export async function redeemHandoff(deps: SessionDeps, rawCode: string): Promise<{ token: string; session: Session } | null> {
  const code = normaliseCode(rawCode);
  if (!code) return null;
  const now = deps.now();
  const h = await handoffRepo(deps.store.db).redeem(hashCode(code), now);
  if (!h) return null;
  const session = await deps.store.sessions.get(h.sessionId);
  if (!session || session.status === 'COMPLETED') return null;
  const tenant = await deps.store.tenants.get(session.tenantId);
  if (!tenant || tenant.disabledAt !== null) return null;
  const lifetimeS = Math.min(PHONE_TOKEN_LIFETIME_S, h.maxTokenExpS - Math.floor(now / 1000));
  if (lifetimeS <= 0) return null;
  const token = await deps.tokens.sign({ sessionId: session.id, tenantId: session.tenantId, generation: session.tokenGeneration ?? null }, lifetimeS);
  return { token, session };
}
