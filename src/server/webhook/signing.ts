/**
 * Webhook signatures: HMAC-SHA256 with the tenant's secret over `<timestamp>.<body>`, where the
 * timestamp (Unix seconds) travels in its own header so a receiver can refuse old deliveries
 * (replays). docs/webhooks.md has the receiver's side.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const HEADER_EVENT_ID = 'x-idv-event-id';
export const HEADER_EVENT_TYPE = 'x-idv-event-type';
export const HEADER_TIMESTAMP = 'x-idv-timestamp';
export const HEADER_SIGNATURE = 'x-idv-signature';

export function sign(secret: string, timestampS: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex')}`;
}

/** Receiver-side check (also what the docs' snippet does): signature valid and timestamp fresh. */
export function verifySignature(secret: string, timestampHeader: string, body: string, signatureHeader: string, nowS: number, toleranceS = 300): boolean {
  if (!/^\d{1,12}$/.test(timestampHeader)) return false;
  const ts = Number(timestampHeader);
  if (Math.abs(nowS - ts) > toleranceS) return false;
  const want = Buffer.from(sign(secret, ts, body));
  const got = Buffer.from(signatureHeader);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** A new signing secret: 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
