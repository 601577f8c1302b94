/**
 * Image blobs. SQLite deployments (one node) keep files under DATA_DIR/images/<sessionId>/;
 * PostgreSQL deployments (several nodes) keep bytes in the `image_blobs` table so every node sees
 * every image without a shared file system (docs/adr/0001-image-store.md).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';

export interface ImageStore {
  put(sessionId: string, imageId: string, bytes: Uint8Array): Promise<void>;
  get(sessionId: string, imageId: string): Promise<Buffer | undefined>;
  delete(sessionId: string, imageId: string): Promise<void>;
  deleteSession(sessionId: string): Promise<void>;
}

// Ids are UUIDs we make; the check keeps a path from ever escaping the directory.
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;
function check(...ids: string[]) {
  for (const id of ids) if (!SAFE_ID.test(id)) throw new Error('unsafe image path component');
}

export function fileImageStore(dir: string): ImageStore {
  return {
    async put(sessionId, imageId, bytes) {
      check(sessionId, imageId);
      const d = join(dir, sessionId);
      await mkdir(d, { recursive: true });
      const tmp = join(d, `.${imageId}.${randomUUID()}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, join(d, imageId));
    },
    async get(sessionId, imageId) {
      check(sessionId, imageId);
      try {
        return await readFile(join(dir, sessionId, imageId));
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
  };
}

export function dbImageStore(db: Db): ImageStore {
  return {
    async put(sessionId, imageId, bytes) {
      await db.run(`INSERT INTO image_blobs (id, session_id, bytes, created_at) VALUES (?, ?, ?, ?)`, [
        imageId,
        sessionId,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        Date.now(),
      ]);
    },
    async get(sessionId, imageId) {
      const r = await db.get<{ bytes: Buffer }>(`SELECT bytes FROM image_blobs WHERE id = ? AND session_id = ?`, [imageId, sessionId]);
      return r?.bytes;
    },
    async delete(sessionId, imageId) {
      await db.run(`DELETE FROM image_blobs WHERE id = ? AND session_id = ?`, [imageId, sessionId]);
    },
    async deleteSession(sessionId) {
      await db.run(`DELETE FROM image_blobs WHERE session_id = ?`, [sessionId]);
    },
  };
}
