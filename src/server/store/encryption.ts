/**
 * Encryption at rest (docs/security.md): AES-256-GCM from node:crypto, an envelope per object.
 * Each object (an image, a capture's engine result, a secret) gets its own random data key (DEK);
 * the DEK is wrapped with the operator's key (KEK, DATA_ENCRYPTION_KEY or a key file) and stored
 * in the object's header with the KEK's id, so a rotation re-wraps 32 bytes per object and never
 * re-encrypts the data itself. The object's context (what it is and whose: `image:<session>/<id>`)
 * is authenticated data: a sealed value moved to another row or file does not open.
 *
 * Binary envelope (images):
 *   "\0IDE" | version 1 | KEK id (8) | wrap IV (12) | wrapped DEK (32) | wrap tag (16) | IV (12) | tag (16) | ciphertext
 * Text (database columns): `enc1:` + base64 of the same envelope.
 *
 * Values written by an earlier version (plain) are read as they are (read-through) until
 * `npm run --silent keys -- rotate` seals them; nothing plain is written any more.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './db.js';

const MAGIC = Buffer.from([0x00, 0x49, 0x44, 0x45]); // "\0IDE": never the start of a JPEG, PNG, WebP or text
const VERSION = 1;
const KEY_BYTES = 32;
const ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_AT = MAGIC.length + 1 + ID_BYTES; // 13
const DATA_IV_AT = WRAP_AT + IV_BYTES + KEY_BYTES + TAG_BYTES; // 73
export const HEADER_BYTES = DATA_IV_AT + IV_BYTES + TAG_BYTES; // 101
const TEXT_PREFIX = 'enc1:';

export class DecryptionError extends Error {}

/** The id of a key: 8 bytes of SHA-256 over a label and the key (derived, so nobody has to name keys). */
export function keyId(key: Buffer): Buffer {
  return createHash('sha256').update('idv-data-key-id').update(key).digest().subarray(0, ID_BYTES);
}

/** A new random key, as the text a key file line or DATA_ENCRYPTION_KEY holds (base64). */
export function generateKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** Keys from text: separated by newlines or commas, `#` comments; each base64 (or 64 hex digits) of 32 bytes. First = current. */
export function parseKeys(text: string): Buffer[] {
  const items = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, ''))
    .flatMap((l) => l.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return items.map((item, i) => {
    const key = /^[0-9a-fA-F]{64}$/.test(item) ? Buffer.from(item, 'hex') : Buffer.from(item, 'base64');
    if (key.length !== KEY_BYTES || (!/^[0-9a-fA-F]{64}$/.test(item) && key.toString('base64').replace(/=+$/, '') !== item.replace(/=+$/, ''))) {
      throw new Error(`data encryption key ${i + 1}: not 32 bytes of base64 (or 64 hex digits)`);
    }
    return key;
  });
}

function gcmEncrypt(key: Buffer, plain: Uint8Array, aad: Buffer): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const ciphertext = c.update(plain);
  // GCM is a stream mode: final() adds no bytes (no 5 MB copy through concat).
  const rest = c.final();
  return { iv, ciphertext: rest.length > 0 ? Buffer.concat([ciphertext, rest]) : ciphertext, tag: c.getAuthTag() };
}

function gcmDecrypt(key: Buffer, iv: Buffer, ciphertext: Uint8Array, tag: Buffer, aad: Buffer): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(aad);
  d.setAuthTag(tag);
  const plain = d.update(ciphertext);
  const rest = d.final(); // checks the tag
  return rest.length > 0 ? Buffer.concat([plain, rest]) : plain;
}

const wrapAad = (id: Buffer) => Buffer.concat([Buffer.from('idv-dek|'), id]);

export class Keyring {
  private readonly keys = new Map<string, Buffer>();
  readonly currentId: string;
  private readonly current: Buffer;

  /** `keys[0]` encrypts; every key decrypts (old keys stay until a rotation has re-wrapped everything). */
  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error('no data encryption key');
    for (const k of keys) {
      if (k.length !== KEY_BYTES) throw new Error('a data encryption key must be 32 bytes');
      this.keys.set(keyId(k).toString('hex'), k);
    }
    this.current = keys[0]!;
    this.currentId = keyId(this.current).toString('hex');
  }

  /** Ids of every key in the ring (hex), the current one first. */
  get keyIds(): string[] {
    return [this.currentId, ...[...this.keys.keys()].filter((id) => id !== this.currentId)];
  }

  static isSealed(blob: Uint8Array): boolean {
    return blob.length >= HEADER_BYTES && Buffer.from(blob.buffer, blob.byteOffset, MAGIC.length).equals(MAGIC) && blob[MAGIC.length] === VERSION;
  }

  /** The KEK id (hex) of a sealed object, or null for a plain one. */
  static keyIdOf(blob: Uint8Array): string | null {
    return Keyring.isSealed(blob) ? Buffer.from(blob.buffer, blob.byteOffset + MAGIC.length + 1, ID_BYTES).toString('hex') : null;
  }

  seal(plain: Uint8Array, context: string): Buffer {
    const dek = randomBytes(KEY_BYTES);
    const id = keyId(this.current);
    const wrapped = gcmEncrypt(this.current, dek, wrapAad(id));
    const data = gcmEncrypt(dek, plain, Buffer.from(context));
    return Buffer.concat([MAGIC, Buffer.from([VERSION]), id, wrapped.iv, wrapped.ciphertext, wrapped.tag, data.iv, data.tag, data.ciphertext]);
  }

  private dekOf(blob: Buffer): Buffer {
    const id = blob.subarray(MAGIC.length + 1, WRAP_AT);
    const kek = this.keys.get(id.toString('hex'));
    if (!kek) throw new DecryptionError(`sealed with key ${id.toString('hex')}, which is not in the keyring (DATA_ENCRYPTION_KEY / key file)`);
    const iv = blob.subarray(WRAP_AT, WRAP_AT + IV_BYTES);
    const enc = blob.subarray(WRAP_AT + IV_BYTES, WRAP_AT + IV_BYTES + KEY_BYTES);
    const tag = blob.subarray(WRAP_AT + IV_BYTES + KEY_BYTES, DATA_IV_AT);
    try {
      return gcmDecrypt(kek, iv, enc, tag, wrapAad(id));
    } catch {
      throw new DecryptionError('the data key does not open (tampered header?)');
    }
  }

  /** A sealed object's plaintext; a plain object (written by an earlier version) as it is. */
  open(blob: Buffer, context: string): Buffer {
    if (!Keyring.isSealed(blob)) return blob;
    const dek = this.dekOf(blob);
    try {
      return gcmDecrypt(dek, blob.subarray(DATA_IV_AT, DATA_IV_AT + IV_BYTES), blob.subarray(HEADER_BYTES), blob.subarray(DATA_IV_AT + IV_BYTES, HEADER_BYTES), Buffer.from(context));
    } catch {
      throw new DecryptionError(`${context}: does not open (tampered, or moved from another object)`);
    }
  }

  /**
   * The object under the current key: a sealed one re-wrapped (its data untouched, the DEK
   * wrapped anew), a plain one sealed; null when it already is under the current key.
   */
  reseal(blob: Buffer, context: string): Buffer | null {
    if (!Keyring.isSealed(blob)) return this.seal(blob, context);
    if (Keyring.keyIdOf(blob) === this.currentId) return null;
    // Prove the object opens (right context, untampered) before re-wrapping it.
    this.open(blob, context);
    const dek = this.dekOf(blob);
    const id = keyId(this.current);
    const wrapped = gcmEncrypt(this.current, dek, wrapAad(id));
    return Buffer.concat([blob.subarray(0, MAGIC.length + 1), id, wrapped.iv, wrapped.ciphertext, wrapped.tag, blob.subarray(DATA_IV_AT)]);
  }

  static isSealedText(value: string): boolean {
    return value.startsWith(TEXT_PREFIX);
  }

  sealText(value: string, context: string): string {
    return TEXT_PREFIX + this.seal(Buffer.from(value, 'utf8'), context).toString('base64');
  }

  /** A sealed column value's text; a plain one (earlier version) as it is. */
  openText(value: string, context: string): string {
    if (!Keyring.isSealedText(value)) return value;
    return this.open(Buffer.from(value.slice(TEXT_PREFIX.length), 'base64'), context).toString('utf8');
  }

  /** A column value under the current key, or null when it already is. */
  resealText(value: string, context: string): string | null {
    if (!Keyring.isSealedText(value)) return this.sealText(value, context);
    const r = this.reseal(Buffer.from(value.slice(TEXT_PREFIX.length), 'base64'), context);
    return r === null ? null : TEXT_PREFIX + r.toString('base64');
  }

  /** The KEK id (hex) of a sealed column value, or null for a plain one. */
  static keyIdOfText(value: string): string | null {
    return Keyring.isSealedText(value) ? Keyring.keyIdOf(Buffer.from(value.slice(TEXT_PREFIX.length, TEXT_PREFIX.length + 40), 'base64')) : null;
  }
}

/**
 * The embedded default's key file (generated on the first start, like the JWT secret, but kept
 * next to the data — not inside the database file: a copy of the database alone opens nothing).
 * Created with mode 0600 in a 0700 directory; concurrent first starts agree (link is atomic).
 */
export function loadOrCreateKeyFile(path: string): Buffer[] {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, `# idv-enrolment data encryption keys: the first encrypts, every one decrypts. Keep a copy apart from the data.\n${generateKeyText()}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  try {
    chmodSync(path, 0o600);
  } catch {
    // Not ours to change (a mounted secret): reading is enough.
  }
  return parseKeys(readFileSync(path, 'utf8'));
}

/** The default key file of a data directory (the embedded default). */
export const defaultKeyFile = (dataDir: string) => join(dataDir, 'keys', 'data-encryption.keys');

/** The key source of the configuration (config.ts `dataKeys`) → a keyring. Only the default file is created when missing. */
export function keyringFrom(source: DataKeySource): Keyring {
  if ('keys' in source) return new Keyring(parseKeys(source.keys));
  if (source.create) return new Keyring(loadOrCreateKeyFile(source.file));
  if (!existsSync(source.file)) throw new Error(`DATA_ENCRYPTION_KEY_FILE ${source.file} does not exist`);
  return new Keyring(parseKeys(readFileSync(source.file, 'utf8')));
}

export type DataKeySource = { keys: string } | { file: string; create: boolean };

// Every repository receives the Db; its keyring travels with it (set once by openStore).
const keyrings = new WeakMap<Db, Keyring>();

export function registerKeyring(db: Db, keyring: Keyring): void {
  keyrings.set(db, keyring);
}

export function keyringOf(db: Db): Keyring {
  const k = keyrings.get(db);
  if (!k) throw new Error('no keyring registered for this database (open it with openStore)');
  return k;
}
