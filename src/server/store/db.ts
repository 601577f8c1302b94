/**
 * The one query layer. SQL is written once with `?` placeholders and portable types; the
 * PostgreSQL driver rewrites placeholders to `$n`. Values: string, number, null, Buffer.
 * Integers that can exceed 2^31 (timestamps in ms) are BIGINT and come back as numbers on both.
 */
export type Dialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | null | Buffer;
export type Row = Record<string, unknown>;

export interface Statement {
  sql: string;
  params?: SqlValue[];
}

export interface Db {
  readonly dialect: Dialect;
  all<T = Row>(sql: string, params?: SqlValue[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /** Runs statements atomically, in order; returns each statement's changed-row count. */
  batch(statements: Statement[]): Promise<number[]>;
  /**
   * Runs `fn` while holding the database-wide migration lock (PostgreSQL: an advisory lock on one
   * connection; SQLite: an IMMEDIATE transaction), so nodes starting together migrate once.
   */
  exclusive<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
