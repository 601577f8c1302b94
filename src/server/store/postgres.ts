import pg from 'pg';
import { assertStorable, type Db, type Row, type SqlValue, type Statement } from './db.js';

/** `?` → `$1, $2…` (our SQL never contains a literal `?`). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const INT8_OID = 20;
/** Arbitrary constant key of the advisory lock taken while migrating. */
const MIGRATION_LOCK_KEY = 7_351_004;

export interface PostgresOptions {
  url: string;
  /** Schema to use (search_path); tests use a unique one per run. Created if missing. */
  schema?: string;
  maxConnections?: number;
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

async function runBatch(client: pg.PoolClient, statements: Statement[], nested: boolean): Promise<number[]> {
  await client.query(nested ? 'SAVEPOINT batch' : 'BEGIN');
  try {
    const out: number[] = [];
    for (const s of statements) assertStorable(s.params);
    for (const s of statements) out.push((await client.query(toPgPlaceholders(s.sql), s.params ?? [])).rowCount ?? 0);
    await client.query(nested ? 'RELEASE SAVEPOINT batch' : 'COMMIT');
    return out;
  } catch (err) {
    await client.query(nested ? 'ROLLBACK TO SAVEPOINT batch' : 'ROLLBACK').catch(() => {});
    throw err;
  }
}

const RECONNECT_MS = 1000;

async function listen(opts: PostgresOptions, channel: string, onNotify: (payload: string) => void): Promise<{ close(): Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error('invalid channel name');
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.url });
    const lost = () => {
      if (client === c) client = null;
      c.end().catch(() => {});
      if (!closed && !retry) retry = setTimeout(() => ((retry = null), void connect().catch(lost)), RECONNECT_MS);
    };
    c.on('error', lost);
    c.on('end', () => {
      if (client === c) lost();
    });
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload ?? '');
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (closed) await c.end();
    else client = c;
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

export async function openPostgres(opts: PostgresOptions): Promise<Db> {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) {
    throw new Error('invalid schema name');
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.maxConnections ?? 10,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    // BIGINT columns hold ms timestamps and counts well below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as never,
    },
  });
  // An idle client's error (server restart) must not crash the process.
  pool.on('error', () => {});
  if (opts.schema) {
    // IF NOT EXISTS still races between connections creating it at once (unique violation).
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`).catch((err: { code?: string }) => {
      if (err.code !== '23505' && err.code !== '42P06') throw err;
    });
  }

  const make = (conn: Queryable, batch: (s: Statement[]) => Promise<number[]>): Db => {
    const q = (sql: string, params: SqlValue[] = []) => {
      assertStorable(params);
      return conn.query(toPgPlaceholders(sql), params);
    };
    const db: Db = {
      dialect: 'postgres',
      async all<T = Row>(sql: string, params?: SqlValue[]) {
        return (await q(sql, params)).rows as T[];
      },
      async get<T = Row>(sql: string, params?: SqlValue[]) {
        return (await q(sql, params)).rows[0] as T | undefined;
      },
      async run(sql: string, params?: SqlValue[]) {
        return (await q(sql, params)).rowCount ?? 0;
      },
      batch,
      async exclusive<T>(fn: (d: Db) => Promise<T>) {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
          try {
            return await fn(make(client, (s) => runBatch(client, s, false)));
          } finally {
            await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
          }
        } finally {
          client.release();
        }
      },
      async close() {
        await pool.end();
      },
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: opts.maxConnections ?? 10 }),
      listen: (channel, onNotify) => listen(opts, channel, onNotify),
    };
    return db;
  };

  return make(pool, async (statements) => {
    const client = await pool.connect();
    try {
      return await runBatch(client, statements, false);
    } finally {
      client.release();
    }
  });
}
