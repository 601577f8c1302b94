/**
 * Webhook events: what happened to a session, as the integrator receives it. Each event type
 * happens at most once per session, so the event id is derived from (session, type): writing the
 * same event twice (a retried job, two nodes) yields one row, and receivers deduplicate by `id`.
 * Payloads carry levels and scores, not evidence (which can hold personal data): read the
 * session for the full result.
 */
import { createHash } from 'node:crypto';
import type { OutboxEvent } from '../store/verification.js';
import type { Decision, Factor, VerificationStatus } from '../verification/types.js';

export const EVENT_TYPES = ['session.completed', 'session.decided', 'session.reviewed', 'session.expired'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventData {
  sessionId: string;
  externalId: string | null;
  status: VerificationStatus;
  decision?: Decision | null;
  factors?: Array<Pick<Factor, 'name' | 'level' | 'score'>>;
  review?: { action: 'APPROVE' | 'REJECT'; reason: string; operatorId: string };
}

/** UUID-shaped id from (session, type). */
export function eventId(sessionId: string, type: EventType): string {
  const h = createHash('sha256').update(`${sessionId}:${type}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function makeEvent(tenantId: string, type: EventType, data: EventData, now: number): OutboxEvent {
  const id = eventId(data.sessionId, type);
  const payload = JSON.stringify({ id, type, createdAt: new Date(now).toISOString(), data });
  return { id, tenantId, sessionId: data.sessionId, type, payload, createdAt: now };
}

export const factorSummary = (factors: Factor[]) => factors.map((f) => ({ name: f.name, level: f.level, score: f.score }));
