import type { Dialect } from '../db.js';

/**
 * Issue #16: the theme of the web enrolment page a session chose at initialize
 * (`webEnrolmentTheme`, a name among its tenant's themes). NULL: the tenant's default theme, or
 * the built-in look.
 */
export function up(_dialect: Dialect): string[] {
  return [`ALTER TABLE sessions ADD COLUMN web_theme TEXT`];
}
