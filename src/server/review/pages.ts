/** The console's pages, rendered on the server from the read models (no script on any page). */
import type { SessionView } from '../session/read-session.js';
import type { SessionSummary } from '../session/list-sessions.js';
import type { AuditEntry } from '../store/verification.js';
import { DECISIONS_FOR_FILTER, STATUSES_FOR_FILTER } from './filters.js';
import { html, type Html } from './html.js';
import { REVIEWABLE } from './review-session.js';

export function loginPage(error: string | null): Html {
  return html`<h1>Sign in</h1>
<form method="post" action="/console/login" class="login">
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  <label>Username <input name="username" autocomplete="username" required maxlength="64"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
  <button type="submit">Sign in</button>
</form>`;
}

export function listPage(rows: SessionSummary[], filter: { verificationStatus?: string; decision?: string }, nextCursor: string | null): Html {
  const option = (value: string, current: string | undefined) => html`<option value="${value}"${current === value ? html` selected` : ''}>${value || 'any'}</option>`;
  const next = new URLSearchParams({ ...(filter.verificationStatus ? { verificationStatus: filter.verificationStatus } : {}), ...(filter.decision ? { decision: filter.decision } : {}), ...(nextCursor ? { cursor: nextCursor } : {}) });
  return html`<h1>Sessions</h1>
<form method="get" action="/console/sessions" class="filters">
  <label>Status <select name="verificationStatus">${['', ...STATUSES_FOR_FILTER].map((s) => option(s, filter.verificationStatus))}</select></label>
  <label>Decision <select name="decision">${['', ...DECISIONS_FOR_FILTER].map((s) => option(s, filter.decision))}</select></label>
  <button type="submit">Filter</button>
</form>
<table>
  <thead><tr><th>Created</th><th>Session</th><th>External id</th><th>Status</th><th>Decision</th></tr></thead>
  <tbody>
  ${rows.map(
    (s) => html`<tr>
      <td>${s.createdAt.replace('T', ' ').slice(0, 19)}</td>
      <td><a href="/console/sessions/${s.sessionId}">${s.sessionId}</a></td>
      <td>${s.externalId ?? ''}</td>
      <td class="level status-${s.verificationStatus}">${s.verificationStatus}</td>
      <td class="level level-${s.decision ?? 'UNKNOWN'}">${s.decision ?? '—'}</td>
    </tr>`,
  )}
  </tbody>
</table>
${rows.length === 0 ? html`<p class="muted">No sessions match.</p>` : ''}
${nextCursor ? html`<p><a href="/console/sessions?${next.toString()}">Older sessions →</a></p>` : ''}`;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
function boxOf(v: unknown): Box | null {
  if (!v || typeof v !== 'object') return null;
  const b = v as Record<string, unknown>;
  const [x, y, width, height] = [num(b.x), num(b.y), num(b.width), num(b.height)];
  return x !== null && y !== null && width !== null && height !== null && width > 0 && height > 0 ? { x, y, width, height } : null;
}

/** An image in an SVG (attributes only: allowed by a CSP without 'unsafe-inline'), optionally cropped and with a marked box. */
function picture(src: string, size: { width: number; height: number }, caption: string, opts: { crop?: Box | null; mark?: Box | null; wide?: boolean } = {}): Html {
  const c = opts.crop;
  const view = c ? `${Math.max(0, c.x)} ${Math.max(0, c.y)} ${c.width} ${c.height}` : `0 0 ${size.width} ${size.height}`;
  return html`<figure${opts.wide ? html` class="wide"` : ''}>
  <svg viewBox="${view}" role="img" aria-label="${caption}" xmlns="http://www.w3.org/2000/svg">
    <image href="${src}" x="0" y="0" width="${size.width}" height="${size.height}" preserveAspectRatio="none"/>
    ${opts.mark ? html`<rect class="mrz-box" x="${opts.mark.x}" y="${opts.mark.y}" width="${opts.mark.width}" height="${opts.mark.height}"/>` : ''}
  </svg>
  <figcaption>${caption}</figcaption>
</figure>`;
}

type CaptureView = NonNullable<SessionView['face']>;

function docPicture(sessionId: string, c: CaptureView | null, label: string): Html | null {
  if (!c?.imageId) return null;
  const d = ((c.result as { details?: Record<string, unknown> } | null)?.details ?? {}) as Record<string, unknown>;
  const img = d.image as { width?: number; height?: number } | undefined;
  if (!img?.width || !img.height) return null;
  const mrz = boxOf((d.mrzLocation as { box?: unknown } | null | undefined)?.box);
  return picture(`/console/sessions/${sessionId}/images/${c.imageId}`, { width: img.width, height: img.height }, `${label}${mrz ? ' — MRZ region marked' : ''}`, { mark: mrz, wide: true });
}

/** The document engine's own portrait crop (details.portrait.cropJpegBase64), when the result has one. */
export function portraitCropOf(result: unknown): Buffer | null {
  const d = (result as { details?: { portrait?: { cropJpegBase64?: unknown } | null } } | null)?.details;
  const b64 = d?.portrait?.cropJpegBase64;
  if (typeof b64 !== 'string' || b64.length === 0 || b64.length > 2_000_000) return null;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 ? bytes : null;
}

/**
 * The document portrait: the engine's crop when present (any page rotation), else a crop of the
 * page when the engine located the face in the upright image, else the whole page.
 */
function portraitPicture(sessionId: string, c: CaptureView | null): Html | null {
  if (!c) return null;
  if (portraitCropOf(c.result)) {
    return html`<figure><img src="/console/sessions/${sessionId}/portrait/${c.captureId}" alt="Document portrait" width="240"><figcaption>Document portrait</figcaption></figure>`;
  }
  if (!c.imageId) return null;
  const d = ((c.result as { details?: Record<string, unknown> } | null)?.details ?? {}) as Record<string, unknown>;
  const img = d.image as { width?: number; height?: number; workingScale?: number } | undefined;
  if (!img?.width || !img.height) return null;
  const p = d.portrait as { frame?: string; box?: unknown } | null | undefined;
  const box = boxOf(p?.box);
  const scale = img.workingScale && img.workingScale > 0 ? img.workingScale : 1;
  const crop = p?.frame === 'upright-image' && d.rotationDeg === 0 && box ? { x: box.x / scale - box.width / scale * 0.25, y: box.y / scale - box.height / scale * 0.25, width: (box.width / scale) * 1.5, height: (box.height / scale) * 1.5 } : null;
  return picture(`/console/sessions/${sessionId}/images/${c.imageId}`, { width: img.width, height: img.height }, crop ? 'Document portrait' : 'Document (portrait not located in page coordinates)', { crop });
}

function selfiePicture(sessionId: string, c: CaptureView | null): Html | null {
  if (!c?.imageId) return null;
  const m = ((c.result as { measurements?: Record<string, unknown> } | null)?.measurements ?? {}) as Record<string, unknown>;
  const img = m.image as { width?: number; height?: number } | undefined;
  if (!img?.width || !img.height) return null;
  const faces = m.faces as Array<{ box?: unknown }> | undefined;
  const box = typeof m.mainFace === 'number' ? boxOf(faces?.[m.mainFace]?.box) : null;
  const crop = box ? { x: box.x - box.width * 0.3, y: box.y - box.height * 0.3, width: box.width * 1.6, height: box.height * 1.6 } : null;
  return picture(`/console/sessions/${sessionId}/images/${c.imageId}`, { width: img.width, height: img.height }, 'Selfie', { crop });
}

const MRZ_FIELDS = ['documentCode', 'documentNumber', 'lastName', 'firstName', 'nationality', 'birthDate', 'sex', 'expirationDate', 'issuingState'] as const;

export function sessionPage(v: SessionView, audit: AuditEntry[], csrfToken: string, notice: string | null): Html {
  const ver = v.verification;
  const mrz = (v.document?.mrz ?? null) as { format?: string; valid?: boolean; fields?: Record<string, unknown> } | null;
  const portraitPage = [v.document?.front ?? null, v.document?.back ?? null].find((c) => c && portraitCropOf(c.result)) ?? v.document?.front ?? null;
  const faces = [selfiePicture(v.sessionId, v.face), portraitPicture(v.sessionId, portraitPage)].filter(Boolean);
  const docs = [docPicture(v.sessionId, v.document?.front ?? null, 'Front'), docPicture(v.sessionId, v.document?.back ?? null, 'Back')].filter(Boolean);
  const fv = ver.factors.find((f) => f.name === 'faceVerification');
  return html`<p><a href="/console/sessions">← Sessions</a></p>
<h1>Session ${v.sessionId}</h1>
${notice ? html`<p class="error" role="alert">${notice}</p>` : ''}
<table>
  <tr><th>Status</th><td class="level status-${ver.status}" id="verification-status">${ver.status}</td></tr>
  <tr><th>Decision</th><td class="level level-${ver.decision ?? 'UNKNOWN'}">${ver.decision ?? '—'}</td></tr>
  <tr><th>Why</th><td>${ver.reasons.length ? ver.reasons.join('; ') : '—'}</td></tr>
  <tr><th>External id</th><td>${v.externalId ?? '—'}</td></tr>
  <tr><th>Created / completed</th><td>${v.createdAt} / ${v.completedAt ?? '—'}</td></tr>
  <tr><th>Images purged</th><td>${ver.imagesPurgedAt ?? 'no'}</td></tr>
</table>

<h2>Face</h2>
<div class="pictures">${faces.length ? faces : html`<p class="muted">No images (not captured or purged).</p>`}</div>
<p>Face verification: <span class="level level-${fv?.level ?? 'UNKNOWN'}">${fv?.level ?? '—'}</span>${fv?.score !== null && fv?.score !== undefined ? html`, cosine similarity ${fv.score}` : ''}</p>

<h2>Document</h2>
<div class="pictures">${docs.length ? docs : html`<p class="muted">No document images.</p>`}</div>

<h2>Extracted data</h2>
<table>
  <tr><th>Type / country</th><td>${v.document?.type ?? '—'} / ${v.document?.country ?? '—'}</td></tr>
  <tr><th>MRZ</th><td>${mrz ? `${mrz.format ?? ''} ${mrz.valid ? '(check digits valid)' : '(check digits NOT valid)'}` : 'not read'}</td></tr>
  ${mrz?.fields ? MRZ_FIELDS.map((k) => html`<tr><th>${k}</th><td>${typeof mrz.fields![k] === 'string' ? mrz.fields![k] : '—'}</td></tr>`) : ''}
  <tr><th>Applicant form</th><td>${v.applicantForm ? `${v.applicantForm.firstName ?? ''} ${v.applicantForm.lastName ?? ''} ${v.applicantForm.dateOfBirth ?? ''}` : '—'}${v.skipIntegrityCheck ? ' (integrity check skipped)' : ''}</td></tr>
</table>

<h2>Trust factors</h2>
<table id="factors">
  <thead><tr><th>Factor</th><th>Level</th><th>Score</th><th>Evidence</th></tr></thead>
  <tbody>
  ${ver.factors.map(
    (f) => html`<tr><td>${f.name}</td><td class="level level-${f.level}">${f.level}</td><td>${f.score ?? '—'}${f.evidence.scoreUnit ? html` <span class="muted">${String(f.evidence.scoreUnit)}</span>` : ''}</td><td>${String(f.evidence.reason ?? '')}</td></tr>`,
  )}
  </tbody>
</table>

${
  REVIEWABLE.includes(ver.status)
    ? html`<h2>Review</h2>
<form method="post" action="/console/sessions/${v.sessionId}/review" class="review">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <label>Reason (kept in the audit trail and sent to the integrator) <textarea name="reason" required minlength="3" maxlength="1000"></textarea></label>
  <div class="actions">
    <button type="submit" name="action" value="APPROVE" class="approve">Approve</button>
    <button type="submit" name="action" value="REJECT" class="reject">Reject</button>
  </div>
</form>`
    : ''
}

<h2>Audit trail</h2>
${
  audit.length
    ? html`<table id="audit"><thead><tr><th>When</th><th>Operator</th><th>Action</th><th>Reason</th><th>Status before</th></tr></thead><tbody>
  ${audit.map((a) => html`<tr><td>${new Date(a.createdAt).toISOString()}</td><td>${a.operatorId}</td><td>${a.action}</td><td>${a.reason}</td><td>${a.previousStatus}</td></tr>`)}
</tbody></table>`
    : html`<p class="muted">No review yet.</p>`
}

<h2>Webhook deliveries</h2>
${
  ver.webhookDeliveries.length
    ? html`<table><thead><tr><th>When</th><th>Event</th><th>Attempt</th><th>Result</th></tr></thead><tbody>
  ${ver.webhookDeliveries.map((d) => html`<tr><td>${d.at}</td><td>${d.eventId}</td><td>${d.attempt}</td><td>${d.statusCode ?? ''} ${d.error ?? 'ok'}</td></tr>`)}
</tbody></table>`
    : html`<p class="muted">None.</p>`
}`;
}
