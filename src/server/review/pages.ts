/** The console's pages, rendered on the server from the read models (no script on any page). */
import type { SessionView } from '../session/read-session.js';
import type { SessionSummary } from '../session/list-sessions.js';
import type { AuditEntry } from '../store/verification.js';
import { DECISIONS_FOR_FILTER, STATUSES_FOR_FILTER } from './filters.js';
import { html, type Html } from './html.js';
import { REVIEWABLE } from './review-session.js';
import { ERRORS, isErrorCode } from '../../shared/errors.js';
import { birthDateWithAge, displayName, documentTypeName, expiryWithPeriod, readableDate, readableScore, readableTime } from './format.js';

export function loginPage(error: string | null): Html {
  return html`<h1>Sign in</h1>
<form method="post" action="/console/login" class="login">
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  <label>Username <input name="username" autocomplete="username" required maxlength="64"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
  <button type="submit">Sign in</button>
</form>`;
}

/** A list row: the session and what its document says (null before any page was accepted). */
export interface ListRow extends SessionSummary {
  document: { name: string | null; type: string | null; number: string | null; country: string | null } | null;
}

export function listPage(rows: ListRow[], filter: { verificationStatus?: string; decision?: string }, nextCursor: string | null): Html {
  const option = (value: string, current: string | undefined, label?: string) =>
    html`<option value="${value}"${(current ?? '') === value ? html` selected` : ''}>${label ?? (value || 'any')}</option>`;
  const next = new URLSearchParams({ verificationStatus: filter.verificationStatus ?? '', ...(filter.decision ? { decision: filter.decision } : {}), ...(nextCursor ? { cursor: nextCursor } : {}) });
  const queue = filter.verificationStatus === 'WAITING_FOR_MANUAL_APPROVE';
  return html`<h1>${queue ? 'Review queue' : 'Sessions'}</h1>
<form method="get" action="/console/sessions" class="filters">
  <label>Status <select name="verificationStatus">${['', ...STATUSES_FOR_FILTER].map((s) => option(s, filter.verificationStatus, s === 'WAITING_FOR_MANUAL_APPROVE' ? 'WAITING_FOR_MANUAL_APPROVE (review queue)' : undefined))}</select></label>
  <label>Decision <select name="decision">${['', ...DECISIONS_FOR_FILTER].map((s) => option(s, filter.decision))}</select></label>
  <button type="submit">Filter</button>
</form>
<table id="sessions">
  <thead><tr><th>Created</th><th>Name</th><th>Document</th><th>Country</th><th>Status</th><th>Decision</th><th>External id</th></tr></thead>
  <tbody>
  ${rows.map(
    (s) => html`<tr>
      <td><a href="/console/sessions/${s.sessionId}" title="${s.sessionId}">${readableTime(s.createdAt)}</a></td>
      <td><a href="/console/sessions/${s.sessionId}">${s.document?.name ?? html`<span class="muted">no name read</span>`}</a></td>
      <td>${s.document ? `${documentTypeName(s.document.type)}${s.document.number ? ` ${s.document.number}` : ''}` : html`<span class="muted">no document yet</span>`}</td>
      <td>${s.document?.country ?? '—'}</td>
      <td class="level status-${s.verificationStatus}">${s.verificationStatus}</td>
      <td class="level level-${s.decision ?? 'UNKNOWN'}">${s.decision ?? '—'}</td>
      <td>${s.externalId ?? ''}</td>
    </tr>`,
  )}
  </tbody>
</table>
${rows.length === 0 ? html`<p class="muted">${queue ? 'Nothing waits for review.' : 'No sessions match.'}</p>` : ''}
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

type DocumentPageView = NonNullable<NonNullable<SessionView['document']>['front']>;
type FaceView = NonNullable<SessionView['face']>;
type AttemptView = SessionView['attempts'][number];
const detailsOf = (result: unknown) => ((result as { details?: Record<string, unknown> } | null)?.details ?? {}) as Record<string, unknown>;
const consoleImage = (sessionId: string, imageId: string) => `/console/sessions/${sessionId}/images/${imageId}`;

function docPicture(sessionId: string, c: DocumentPageView | null, label: string): Html | null {
  if (!c?.imageId) return null;
  const d = detailsOf(c.result);
  const img = d.image as { width?: number; height?: number } | undefined;
  if (!img?.width || !img.height) return html`<figure class="wide"><img src="${consoleImage(sessionId, c.imageId)}" alt="${label}" width="480"><figcaption>${label}</figcaption></figure>`;
  const mrz = boxOf((d.mrzLocation as { box?: unknown } | null | undefined)?.box);
  return picture(consoleImage(sessionId, c.imageId), { width: img.width, height: img.height }, `${label}${mrz ? ' — MRZ region marked' : ''}`, { mark: mrz, wide: true });
}

/**
 * The document portrait: the engine's crop when present (any page rotation), else a crop of the
 * page when the engine located the face in the upright image, else the whole page.
 */
function portraitPicture(sessionId: string, c: DocumentPageView | null): Html | null {
  if (!c) return null;
  if (c.portraitUrl) {
    return html`<figure><img src="/console/sessions/${sessionId}/portrait/${c.captureId}" alt="Document portrait" width="240"><figcaption>Document portrait</figcaption></figure>`;
  }
  if (!c.imageId) return null;
  const d = detailsOf(c.result);
  const img = d.image as { width?: number; height?: number; workingScale?: number } | undefined;
  if (!img?.width || !img.height) return null;
  const p = d.portrait as { frame?: string; box?: unknown } | null | undefined;
  const box = boxOf(p?.box);
  const scale = img.workingScale && img.workingScale > 0 ? img.workingScale : 1;
  const crop = p?.frame === 'upright-image' && d.rotationDeg === 0 && box ? { x: box.x / scale - box.width / scale * 0.25, y: box.y / scale - box.height / scale * 0.25, width: (box.width / scale) * 1.5, height: (box.height / scale) * 1.5 } : null;
  if (!crop) return null; // the page itself is shown beside it
  return picture(consoleImage(sessionId, c.imageId), { width: img.width, height: img.height }, 'Document portrait', { crop });
}

function selfiePicture(sessionId: string, c: FaceView | null): Html | null {
  if (!c?.imageId) return null;
  const m = ((c.result as { measurements?: Record<string, unknown> } | null)?.measurements ?? {}) as Record<string, unknown>;
  const img = m.image as { width?: number; height?: number } | undefined;
  if (!img?.width || !img.height) return null;
  const faces = m.faces as Array<{ box?: unknown }> | undefined;
  const box = typeof m.mainFace === 'number' ? boxOf(faces?.[m.mainFace]?.box) : null;
  const crop = box ? { x: box.x - box.width * 0.3, y: box.y - box.height * 0.3, width: box.width * 1.6, height: box.height * 1.6 } : null;
  return picture(consoleImage(sessionId, c.imageId), { width: img.width, height: img.height }, 'Selfie', { crop });
}

type FieldView = { value: string; source: string; page: string; confidence: number; icao?: string };

const VERDICT: Record<string, [string, string]> = {
  EXACT: ['matches', 'HIGH'],
  TOLERANT: ['matches tolerantly', 'MEDIUM'],
  MISMATCH: ['does not match', 'LOW'],
  NOT_READ: ['not read on the document', 'UNKNOWN'],
};

function fieldRow(label: string, f: FieldView | null, shown: (v: string) => string = (v) => v, form?: string | null, verdict?: string): Html {
  const v = verdict ? VERDICT[verdict] : undefined;
  return html`<tr>
    <th>${label}</th>
    <td>${f ? shown(f.value) : html`<span class="muted">not read</span>`}${f?.icao && f.icao !== f.value ? html` <span class="muted">(ICAO ${f.icao})</span>` : ''}</td>
    <td class="muted">${f ? `${f.source === 'VIZ' ? 'printed text' : f.source} · ${f.page.toLowerCase()} · ${Math.round(f.confidence * 100)} %` : ''}</td>
    <td>${form ?? ''}${form && v ? html` <span class="level level-${v[1]}">${v[0]}</span>` : ''}</td>
  </tr>`;
}

function attemptRow(sessionId: string, a: AttemptView): Html {
  const message = a.error && isErrorCode(a.error) ? ERRORS[a.error].message : '';
  const advice = typeof detailsOf(a.result).captureAdvice === 'string' ? String(detailsOf(a.result).captureAdvice) : null;
  return html`<tr>
    <td>${readableTime(a.createdAt)}</td>
    <td>${a.kind === 'FACE' ? 'Selfie' : `Document${a.pageSide ? ` ${a.pageSide.toLowerCase()}` : ''}`}</td>
    <td><strong>${a.error ?? ''}</strong><br><span class="muted">${message}${advice ? ` Capture advice: ${advice}.` : ''}</span></td>
    <td>${a.imageUrl && a.imageId ? html`<a href="${consoleImage(sessionId, a.imageId)}"><img src="${consoleImage(sessionId, a.imageId)}" alt="Refused ${a.kind === 'FACE' ? 'selfie' : 'document page'}" width="160"></a>` : html`<span class="muted">image not kept</span>`}</td>
  </tr>`;
}

export function sessionPage(v: SessionView, audit: AuditEntry[], csrfToken: string, notice: string | null, now: number): Html {
  const ver = v.verification;
  const doc = v.document;
  const pages = [doc?.front ?? null, doc?.back ?? null];
  const portraitPage = pages.find((c) => c?.portraitUrl) ?? pages.find((c) => c && detailsOf(c.result).portrait) ?? null;
  const pictures = [
    selfiePicture(v.sessionId, v.face),
    portraitPicture(v.sessionId, portraitPage),
    docPicture(v.sessionId, doc?.front ?? null, 'Front'),
    docPicture(v.sessionId, doc?.back ?? null, 'Back'),
  ].filter(Boolean);
  const fv = ver.factors.find((f) => f.name === 'faceVerification');
  const name = displayName(doc?.surname?.value, doc?.givenNames?.value);
  const form = v.applicantForm;
  const refused = v.attempts.filter((a) => !a.accepted);
  const mrz = doc?.machineReadable ?? [];
  // The applicant-integrity factor's verdict per typed field (EXACT, TOLERANT, MISMATCH, NOT_READ).
  const integrity = ver.factors.find((f) => f.name === 'applicantIntegrity')?.evidence.fields;
  const verdictOf = (field: string) =>
    Array.isArray(integrity) ? (integrity.find((x) => x && typeof x === 'object' && !Array.isArray(x) && x.field === field) as { result?: unknown } | undefined)?.result : undefined;
  const verdict = (field: string) => (typeof verdictOf(field) === 'string' ? (verdictOf(field) as string) : undefined);
  return html`<p><a href="/console/sessions">← Review queue</a></p>
<h1>${name ?? 'No name read'}</h1>
<p class="subtitle">${documentTypeName(doc?.type)}${doc?.country ? ` · ${doc.country}` : ''}${doc?.number ? ` · ${doc.number.value}` : ''} · session <code>${v.sessionId}</code></p>
${notice ? html`<p class="error" role="alert">${notice}</p>` : ''}
<table class="summary">
  <tr><th>Status</th><td class="level status-${ver.status}" id="verification-status">${ver.status}</td></tr>
  <tr><th>Decision</th><td class="level level-${ver.decision ?? 'UNKNOWN'}">${ver.decision ?? '—'}</td></tr>
  <tr><th>Why</th><td>${ver.reasons.length ? ver.reasons.join('; ') : '—'}</td></tr>
  <tr><th>External id</th><td>${v.externalId ?? '—'}</td></tr>
  <tr><th>Created / completed</th><td>${readableTime(v.createdAt)} / ${readableTime(v.completedAt)}</td></tr>
  <tr><th>Images purged</th><td>${ver.imagesPurgedAt ? readableTime(ver.imagesPurgedAt) : 'no'}</td></tr>
</table>

<h2>Face and document</h2>
<div class="pictures">${pictures.length ? pictures : html`<p class="muted">No images (not captured or purged).</p>`}</div>
<p>Face verification: <span class="level level-${fv?.level ?? 'UNKNOWN'}">${fv?.level ?? '—'}</span>${fv?.score !== null && fv?.score !== undefined ? html`, match score ${fv.score}` : ''}${fv?.evidence.reason ? html` <span class="muted">(${String(fv.evidence.reason)})</span>` : ''}</p>

<h2>Extracted data</h2>
<table id="document">
  <thead><tr><th>Field</th><th>Document</th><th>Read from</th><th>Applicant form</th></tr></thead>
  <tbody>
  ${fieldRow('Surname', doc?.surname ?? null, (x) => x, form?.lastName, verdict('lastName'))}
  ${fieldRow('Given names', doc?.givenNames ?? null, (x) => x, form?.firstName, verdict('firstName'))}
  ${fieldRow('Date of birth', doc?.dateOfBirth ?? null, (x) => birthDateWithAge(x, now), form?.dateOfBirth ? readableDate(form.dateOfBirth) : null, verdict('dateOfBirth'))}
  ${fieldRow('Sex', doc?.sex ?? null)}
  ${fieldRow('Nationality', doc?.nationality ?? null)}
  ${fieldRow('Document number', doc?.number ?? null)}
  ${fieldRow('Issuing state', doc?.issuingState ?? null)}
  ${fieldRow('Date of issue', doc?.dateOfIssue ?? null, readableDate)}
  ${fieldRow('Date of expiry', doc?.dateOfExpiry ?? null, (x) => expiryWithPeriod(x, now))}
  ${doc?.personalNumber ? fieldRow('Personal number', doc.personalNumber) : ''}
  <tr><th>Machine-readable</th><td colspan="3">${mrz.length ? mrz.map((m) => `${m.kind === 'MRZ' ? `MRZ ${m.format}` : 'AAMVA barcode'} on the ${m.page.toLowerCase()}: ${m.valid ? (m.kind === 'MRZ' ? 'check digits valid' : 'decoded') : 'check digits NOT valid'}`).join('; ') : 'none read'}</td></tr>
  </tbody>
</table>
${v.skipIntegrityCheck ? html`<p class="muted">The integrator skipped the comparison with the applicant form.</p>` : ''}
${
  doc?.checks.length
    ? html`<h3>Cross-field checks</h3>
<table id="checks"><thead><tr><th>Field</th><th>Between</th><th>Result</th></tr></thead><tbody>
${doc.checks.map((c) => html`<tr><td>${c.field}</td><td>${c.between}</td><td class="level level-${c.agree ? 'HIGH' : c.strong ? 'LOW' : 'MEDIUM'}">${c.agree ? 'agree' : c.strong ? 'DISAGREE' : 'not found'}</td></tr>`)}
</tbody></table>`
    : ''
}

<h2>Trust factors</h2>
<table id="factors">
  <thead><tr><th>Factor</th><th>Level</th><th>Score</th><th>Evidence</th></tr></thead>
  <tbody>
  ${ver.factors.map(
    (f) => html`<tr><td>${f.name}</td><td class="level level-${f.level}">${f.level}</td><td>${readableScore(f)}</td><td>${String(f.evidence.reason ?? '')}</td></tr>`,
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

<h2>Refused attempts</h2>
${
  refused.length
    ? html`<table id="refused"><thead><tr><th>When</th><th>What</th><th>Code</th><th>Image</th></tr></thead><tbody>
${refused.map((a) => attemptRow(v.sessionId, a))}
</tbody></table>`
    : html`<p class="muted">None: every capture was accepted.</p>`
}

<h2>Audit trail</h2>
${
  audit.length
    ? html`<table id="audit"><thead><tr><th>When</th><th>Operator</th><th>Action</th><th>Reason</th><th>Status before</th></tr></thead><tbody>
  ${audit.map((a) => html`<tr><td>${readableTime(new Date(a.createdAt).toISOString())}</td><td>${a.operatorId}</td><td>${a.action}</td><td>${a.reason}</td><td>${a.previousStatus}</td></tr>`)}
</tbody></table>`
    : html`<p class="muted">No review yet.</p>`
}

<h2>Webhook events</h2>
${
  ver.webhookEvents.length
    ? html`<table id="webhook-events"><thead><tr><th>Event</th><th>Type</th><th>State</th><th>Attempts</th><th>Last error</th></tr></thead><tbody>
  ${ver.webhookEvents.map(
    (e) =>
      html`<tr class="webhook-${e.state}"><td>${e.eventId}</td><td>${e.type}</td><td>${e.state === 'FAILED' ? 'FAILED — given up (dead letter)' : e.state}</td><td>${e.attempts}</td><td>${e.lastError ?? ''}</td></tr>`,
  )}
</tbody></table>`
    : html`<p class="muted">None.</p>`
}

<h2>Webhook deliveries</h2>
${
  ver.webhookDeliveries.length
    ? html`<table><thead><tr><th>When</th><th>Event</th><th>Attempt</th><th>Result</th></tr></thead><tbody>
  ${ver.webhookDeliveries.map((d) => html`<tr><td>${readableTime(d.at)}</td><td>${d.eventId}</td><td>${d.attempt}</td><td>${d.statusCode ?? ''} ${d.error ?? 'ok'}</td></tr>`)}
</tbody></table>`
    : html`<p class="muted">None.</p>`
}`;
}
