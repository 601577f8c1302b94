/**
 * Image blobs. SQLite deployments (one node) keep files under DATA_DIR/images/<sessionId>/;
 * PostgreSQL deployments (several nodes) keep bytes in the `image_blobs` table so every node sees
 * every image without a shared file system (docs/adr/0001-image-store.md). Both keep the bytes
 * sealed (encryption.ts: AES-256-GCM, an envelope per image); a plain image of an earlier version
 * is returned as it is.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';
import type { Keyring } from './encryption.js';

/** The authenticated context of an image's envelope: a sealed image opens only as itself. */
export const imageContext = (sessionId: string, imageId: string) => `image:${sessionId}/${imageId}`;

export interface ResealCounts {
  resealed: number;
  alreadyCurrent: number;
  failed: number;
}

export interface ImageStore {
  put(sessionId: string, imageId: string, bytes: Uint8Array): Promise<void>;
  get(sessionId: string, imageId: string): Promise<Buffer | undefined>;
  delete(sessionId: string, imageId: string): Promise<void>;
  deleteSession(sessionId: string): Promise<void>;
  /** Key rotation (store/rotate-keys.ts): every image under the keyring's current key (plain ones sealed). */
  resealAll(): Promise<ResealCounts>;
}

// Ids are UUIDs we make; the check keeps a path from ever escaping the directory.
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;
function check(...ids: string[]) {
  for (const id of ids) if (!SAFE_ID.test(id)) throw new Error('unsafe image path component');
}

export function fileImageStore(dir: string, keyring: Keyring): ImageStore {
  return {
    async put(sessionId, imageId, bytes) {
      check(sessionId, imageId);
      const d = join(dir, sessionId);
      await mkdir(d, { recursive: true, mode: 0o700 });
      const tmp = join(d, `.${imageId}.${randomUUID()}.tmp`);
      await writeFile(tmp, keyring.seal(bytes, imageContext(sessionId, imageId)), { mode: 0o600 });
      await rename(tmp, join(d, imageId));
    },
    async get(sessionId, imageId) {
      check(sessionId, imageId);
      try {
        return keyring.open(await readFile(join(dir, sessionId, imageId)), imageContext(sessionId, imageId));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async delete(sessionId, imageId) {
      check(sessionId, imageId);
      await rm(join(dir, sessionId, imageId), { force: true });
    },
    async deleteSession(sessionId) {
      check(sessionId);
      await rm(join(dir, sessionId), { recursive: true, force: true });
    },
    async resealAll() {
      const counts: ResealCounts = { resealed: 0, alreadyCurrent: 0, failed: 0 };
      let sessions: string[];
      try {
        sessions = await readdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return counts;
        throw err;
      }
      for (const sessionId of sessions.filter((s) => SAFE_ID.test(s))) {
        let names: string[];
        try {
          names = await readdir(join(dir, sessionId));
        } catch {
          continue; // deleted meanwhile
        }
        for (const imageId of names.filter((n) => SAFE_ID.test(n))) {
          try {
            const path = join(dir, sessionId, imageId);
            const next = keyring.reseal(await readFile(path), imageContext(sessionId, imageId));
            if (next === null) {
              counts.alreadyCurrent++;
              continue;
            }
            const tmp = join(dir, sessionId, `.${imageId}.${randomUUID()}.tmp`);
            await writeFile(tmp, next, { mode: 0o600 });
            await rename(tmp, path);
            counts.resealed++;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
            counts.failed++;
          }
        }
      }
      return counts;
    },
  };
}

export function dbImageStore(db: Db, keyring: Keyring): ImageStore {
  return {
    async put(sessionId, imageId, bytes) {
      await db.run(`INSERT INTO image_blobs (id, session_id, bytes, created_at) VALUES (?, ?, ?, ?)`, [
        imageId,
        sessionId,
        keyring.seal(bytes, imageContext(sessionId, imageId)),
        Date.now(),
      ]);
    },
    async get(sessionId, imageId) {
      const r = await db.get<{ bytes: Buffer }>(`SELECT bytes FROM image_blobs WHERE id = ? AND session_id = ?`, [imageId, sessionId]);
      return r && keyring.open(r.bytes, imageContext(sessionId, imageId));
    },
    async delete(sessionId, imageId) {
      await db.run(`DELETE FROM image_blobs WHERE id = ? AND session_id = ?`, [imageId, sessionId]);
    },
    async deleteSession(sessionId) {
      await db.run(`DELETE FROM image_blobs WHERE session_id = ?`, [sessionId]);
    },
    async resealAll() {
      const counts: ResealCounts = { resealed: 0, alreadyCurrent: 0, failed: 0 };
      let after = '';
      for (;;) {
        // A few at a time: each row is an image of up to 25 MB.
        const rows = await db.all<{ id: string; session_id: string; bytes: Buffer }>(
          `SELECT id, session_id, bytes FROM image_blobs WHERE id > ? ORDER BY id LIMIT 20`,
          [after],
        );
        if (rows.length === 0) return counts;
        for (const r of rows) {
          after = r.id;
          try {
            const next = keyring.reseal(r.bytes, imageContext(r.session_id, r.id));
            if (next === null) counts.alreadyCurrent++;
            else if ((await db.run(`UPDATE image_blobs SET bytes = ? WHERE id = ? AND session_id = ?`, [next, r.id, r.session_id])) === 1) counts.resealed++;
          } catch {
            counts.failed++;
          }
        }
      }
    },
  };
}
