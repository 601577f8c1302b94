/**
 * The one query layer. SQL is written once with `?` placeholders and portable types; the
 * PostgreSQL driver rewrites placeholders to `$n`. Values: string, number, null, Buffer.
 * Integers that can exceed 2^31 (timestamps in ms) are BIGINT and come back as numbers on both.
 */
import { CodedError } from '../../shared/errors.js';

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
  /** PostgreSQL: the pool's connections (total, idle, requests waiting for one); for /metrics. */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
  /**
   * PostgreSQL: LISTEN on `channel` over a connection of its own (outside the pool), reconnecting
   * after a loss (notifications sent meanwhile are lost: listeners also poll). SQLite has none.
   */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<{ close(): Promise<void> }>;
}

/**
 * The last line of defence for text parameters: PostgreSQL refuses NUL in text (a driver error,
 * i.e. a 500) where SQLite would store it. The HTTP edge refuses NUL first (http/strict-input.ts);
 * this makes both stores answer the same REQUEST_INVALID for any path the edge does not cover.
 */
export function assertStorable(params: readonly SqlValue[] | undefined): void {
  if (!params) return;
  for (const p of params) if (typeof p === 'string' && p.includes('\u0000')) throw new CodedError('REQUEST_INVALID', 'NUL in a text value');
}
