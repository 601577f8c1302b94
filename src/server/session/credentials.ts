/**
 * Tenant credentials: random username and password, the password stored as an scrypt hash with a
 * per-tenant salt, compared in constant time. The password is shown once, at creation/rotation.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { CodedError } from '../../shared/errors.js';

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

/** SHA-256 of a password: what the in-process caches keep instead of the password. */
const digestOf = (password: string) => createHash('sha256').update(password).digest();

/**
 * Remembers recent successful verifications so a busy integrator does not pay scrypt on every
 * call. Keyed by the stored hash (a rotation changes it, so old entries never match; a disabled
 * tenant is refused by the caller from the fresh row) and holding only a SHA-256 of the password.
 * An entry lives `ttlMs` after its last use and at most `maxAgeMs` after its verification; size is
 * bounded (the oldest goes first).
 */
export function createVerificationCache(ttlMs = 60_000, maxEntries = 1000, now: () => number = Date.now, maxAgeMs = 15 * 60_000) {
  const entries = new Map<string, { digest: Buffer; until: number; verifiedAt: number }>();
  return {
    /** True when `password` was verified against `stored` recently (no scrypt). */
    has(password: string, stored: string): boolean {
      const hit = entries.get(stored);
      const t = now();
      if (!hit || hit.until <= t || hit.verifiedAt + maxAgeMs <= t || !timingSafeEqual(hit.digest, digestOf(password))) return false;
      hit.until = t + ttlMs;
      return true;
    },
    remember(password: string, stored: string): void {
      entries.delete(stored);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      const t = now();
      entries.set(stored, { digest: digestOf(password), until: t + ttlMs, verifiedAt: t });
    },
  };
}

/**
 * Remembers recent failed checks — (what was checked against, SHA-256 of the password) — so the
 * same wrong credentials repeated are refused without scrypt. Bounded; entries expire.
 */
export function createFailureCache(ttlMs = 5 * 60_000, maxEntries = 10_000, now: () => number = Date.now) {
  const entries = new Map<string, number>();
  const keyOf = (against: string, password: string) => `${against}\u0001${digestOf(password).toString('base64')}`;
  return {
    has(against: string, password: string): boolean {
      const k = keyOf(against, password);
      const until = entries.get(k);
      if (until === undefined) return false;
      if (until <= now()) {
        entries.delete(k);
        return false;
      }
      return true;
    },
    remember(against: string, password: string): void {
      const k = keyOf(against, password);
      entries.delete(k);
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(k, now() + ttlMs);
    },
  };
}

/**
 * Bounds the scrypt work of credential checks that no cache answered, so a flood of wrong
 * credentials cannot take the thread pool (which JWT signing and file I/O share) nor the CPU:
 * at most `concurrency` run at once, at most `maxWaiting` wait (then SERVICE_BUSY), at most
 * `perClient` run or wait for one client address (then RATE_LIMITED); identical checks in flight
 * (the same stored hash and password) share one computation.
 */
export function createScryptGate(concurrency = 1, maxWaiting = 64, perClient = 4) {
  let running = 0;
  const waiting: Array<() => void> = [];
  const perAddress = new Map<string, number>();
  const inFlight = new Map<string, Promise<boolean>>();
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  const run = async (password: string, stored: string): Promise<boolean> => {
    if (running >= concurrency) {
      if (waiting.length >= maxWaiting) throw new CodedError('SERVICE_BUSY', 'credential checks waiting', { retryAfterS: 1 });
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await verifyPassword(password, stored);
    } finally {
      release();
    }
  };
  return {
    async verify(client: string, password: string, stored: string): Promise<boolean> {
      const key = `${stored}\u0001${digestOf(password).toString('base64')}`;
      const shared = inFlight.get(key);
      if (shared) return shared;
      const mine = perAddress.get(client) ?? 0;
      if (mine >= perClient) throw new CodedError('RATE_LIMITED', 'concurrent credential checks from one address', { retryAfterS: 1 });
      perAddress.set(client, mine + 1);
      const p = run(password, stored);
      inFlight.set(key, p);
      try {
        return await p;
      } finally {
        inFlight.delete(key);
        const left = (perAddress.get(client) ?? 1) - 1;
        if (left <= 0) perAddress.delete(client);
        else perAddress.set(client, left);
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
