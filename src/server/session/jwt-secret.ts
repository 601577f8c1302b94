import { randomBytes } from 'node:crypto';
import type { SettingsRepo } from '../store/settings.js';

const KEY = 'jwt_secret_hs256';

/**
 * The HS256 secret: JWT_SECRET when configured; otherwise one generated on the first start and
 * kept in the store (first writer wins), so every node of a deployment signs with the same key.
 */
export async function resolveJwtSecret(configured: string | null, settings: SettingsRepo): Promise<Uint8Array> {
  if (configured !== null) return new TextEncoder().encode(configured);
  const stored = await settings.getOrInsert(KEY, randomBytes(48).toString('base64url'));
  return Buffer.from(stored, 'base64url');
}
