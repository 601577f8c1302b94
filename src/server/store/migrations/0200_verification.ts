import type { Dialect } from '../db.js';

/**
 * The verification part (src/server/verification/, src/server/review/): one result per session
 * (status, decision, factors, review), each tenant's verification policy, and the review audit
 * trail. Rows of a session go with it (ON DELETE CASCADE). Numbered from 0200 (this part's range).
 */
export function up(_dialect: Dialect): string[] {
  return [
    `CREATE TABLE verification_results (
      session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
      tenant_id TEXT NOT NULL,
      status TEXT NOT NULL,
      decision TEXT,
      factors TEXT NOT NULL,
      reasons TEXT NOT NULL,
      policy TEXT,
      decided_at BIGINT,
      reviewed_by TEXT,
      review_reason TEXT,
      reviewed_at BIGINT,
      images_purged_at BIGINT,
      updated_at BIGINT NOT NULL
    )`,
    `CREATE INDEX verification_results_tenant_status ON verification_results (tenant_id, status)`,
    `CREATE TABLE verification_settings (
      tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
      policy TEXT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
    `CREATE TABLE review_audit (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      tenant_id TEXT NOT NULL,
      operator_id TEXT NOT NULL,
      action TEXT NOT NULL,
      reason TEXT NOT NULL,
      previous_status TEXT NOT NULL,
      created_at BIGINT NOT NULL
    )`,
    `CREATE INDEX review_audit_session ON review_audit (session_id, created_at)`,
  ];
}
