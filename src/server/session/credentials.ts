/**
 * Tenant credentials: random username and password, the password stored as an scrypt hash with a
 * per-tenant salt, compared in constant time. The password is shown once, at creation/rotation.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost (N=2^14, r=8, p=1: ~16 MB, tens of ms). Stricter: higher N. */
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, KEY_BYTES, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export function generateUsername(): string {
  return `tn_${randomBytes(8).toString('hex')}`;
}

export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scrypt(password, Buffer.from(parts[4]!, 'base64'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a valid password used when the username is unknown, so both paths cost the same. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(generatePassword());
  return dummyHash;
}

/**
 * Remembers recent successful verifications so a busy integrator does not pay scrypt on every
 * call. Keyed by the stored hash (a rotation changes it, so old entries never match) and holding
 * only a SHA-256 of the password; entries expire after `ttlMs`; size is bounded.
 */
export function createVerificationCache(ttlMs = 60_000, maxEntries = 1000, now: () => number = Date.now) {
  const entries = new Map<string, { digest: Buffer; until: number }>();
  const digest = (pw: string) => createHash('sha256').update(pw).digest();
  return {
    async verify(password: string, stored: string): Promise<boolean> {
      const hit = entries.get(stored);
      const d = digest(password);
      if (hit && hit.until > now() && timingSafeEqual(hit.digest, d)) return true;
      const ok = await verifyPassword(password, stored);
      if (ok) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        entries.set(stored, { digest: d, until: now() + ttlMs });
      }
      return ok;
    },
  };
}
