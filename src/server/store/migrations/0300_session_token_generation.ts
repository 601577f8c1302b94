import type { Dialect } from '../db.js';

/**
 * Issue #15: each session's token generation (a random id carried by its tokens as `gen`), so a
 * session deleted and opened again with the same client-made id refuses the old tokens. Existing
 * sessions keep NULL: their tokens (issued without `gen`) stay valid until they expire.
 */
export function up(_dialect: Dialect): string[] {
  return [`ALTER TABLE sessions ADD COLUMN token_generation TEXT`];
}
