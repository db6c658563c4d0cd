import { AuditFigureCounter, type AuditFigures } from '../../domain/audit/audit-figures.js';
import { AuditKeyring } from './audit-keyring.js';
import { type AuditVerification, verifyAuditLog } from './audit-verifier.js';
import { readMaskingEvidence, type VerifiedEvidence } from './masking-evidence.js';
import { renderMaskingEvidence } from './masking-evidence-section.js';
import { type PanScanResult, scanForPans } from './pan-scanner.js';
import { columns, escapeHtml, horizontalBars, shareBar } from './report-charts.js';

export interface AuditReportOptions {
  /** The audit log: its directory (or segment files). */
  readonly logPaths: readonly string[];
  /** Ed25519 public key files or directories (the verifier's only trust). */
  readonly publicKeys: readonly string[];
  /** The period [from, to). */
  readonly from: Date;
  readonly to: Date;
  /** Files and folders the card-number scan reads; the audit log itself by default. */
  readonly scanPaths?: readonly string[];
  /** See verifyAuditLog; true by default. */
  readonly requireHead?: boolean;
  /** Directories holding `masking-check`'s signed results (masking-evidence.ts); none by default. */
  readonly maskingEvidenceDirs?: readonly string[];
  readonly now?: () => number;
}

export interface AuditReportData {
  readonly generatedAt: string;
  readonly verification: AuditVerification;
  readonly figures: AuditFigures;
  readonly scan: PanScanResult;
  readonly scanPaths: readonly string[];
  readonly keyIds: readonly string[];
  readonly maskingChecks: readonly VerifiedEvidence[];
}

/** Verifies the whole log, counts the period's figures from its verified records, and scans for card numbers. */
export async function collectAuditReport(options: AuditReportOptions): Promise<AuditReportData> {
  const keyring = await AuditKeyring.load(options.publicKeys);
  const counter = new AuditFigureCounter({ from: options.from.getTime(), to: options.to.getTime() });
  const verification = await verifyAuditLog({
    paths: options.logPaths,
    keyring,
    requireHead: options.requireHead ?? true,
    onRecord: (record, signed) => counter.add(record, signed),
  });
  const scanPaths = options.scanPaths ?? options.logPaths;
  const scan = await scanForPans(scanPaths);
  return {
    generatedAt: new Date((options.now ?? Date.now)()).toISOString(),
    verification,
    figures: counter.finish(),
    scan,
    scanPaths,
    keyIds: keyring.kids,
    maskingChecks: await readMaskingEvidence(options.maskingEvidenceDirs ?? [], keyring),
  };
}

/**
 * The auditor's report as one self-contained HTML page (inline CSS and SVG; no script, no network):
 * calls handled and the share masked from answer, payments by outcome, the chain verification and
 * the card-number scan. Figures carry `data-figure` attributes so a machine can read them too.
 * Served as `GET /v1/audit/report` to the auditor role; written by `./scripts/tonewall audit report`.
 */
export async function buildAuditReport(options: AuditReportOptions): Promise<string> {
  return renderAuditReport(await collectAuditReport(options));
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a202c;max-width:980px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #cbd5e0;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #cbd5e0;padding:.3em .7em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#edf2f7}
.pass,.fail{display:inline-block;padding:.15em .6em;border-radius:4px;color:#fff;font-weight:600}.pass{background:#2f855a}.fail{background:#c53030}
.muted,.none{color:#4a5568}.chart{max-width:100%;height:auto;font-size:12px;font-family:inherit}.chart .small{font-size:10px}
code{background:#edf2f7;padding:0 .25em;border-radius:3px}ul.problems li{margin:.2em 0}
`;

function figure(name: string, value: number | string): string {
  return `<td class="n" data-figure="${escapeHtml(name)}">${escapeHtml(String(value))}</td>`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((part / whole) * 100).toFixed(1)} %`;
}

function verdict(ok: boolean, pass: string, fail: string): string {
  return ok
    ? `<span class="pass">${escapeHtml(pass)}</span>`
    : `<span class="fail">${escapeHtml(fail)}</span>`;
}

function countRows(counts: Readonly<Record<string, number>>, prefix: string): string {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  if (entries.length === 0) return '<tr><td colspan="2" class="none">none</td></tr>';
  return entries
    .map(([key, value]) => `<tr><td>${escapeHtml(key)}</td>${figure(`${prefix}.${key}`, value)}</tr>`)
    .join('');
}

export function renderAuditReport(data: AuditReportData): string {
  const { verification: v, figures: f, scan } = data;
  const chainOk = v.ok;
  const scanOk = scan.findings.length === 0 && scan.unreadable.length === 0;
  const problems = v.problems
    .slice(0, 50)
    .map(
      (problem) => `<li><strong>${escapeHtml(problem.kind)}</strong>: ${escapeHtml(problem.message)}</li>`,
    );
  const findings = scan.findings
    .slice(0, 100)
    .map(
      (finding) =>
        `<tr><td>${escapeHtml(finding.file)}</td><td class="n">${finding.line}:${finding.column}</td><td class="n">${finding.offset}</td><td><code>${escapeHtml(finding.masked)}</code></td><td>${escapeHtml(finding.brand ?? '')}</td></tr>`,
    );
  const outcomeBars = Object.entries(f.payments.byOutcome)
    .sort(([, a], [, b]) => b - a)
    .map(([label, value]) => ({ label, value, ...(label === 'success' ? { colour: '#2f855a' } : {}) }));
  if (f.payments.unfinished > 0)
    outcomeBars.push({ label: 'not finished in period', value: f.payments.unfinished, colour: '#a0aec0' });

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tonewall audit report ${escapeHtml(f.from)} – ${escapeHtml(f.to)}</title>
<style>${STYLE}</style></head><body>
<h1>tonewall audit report</h1>
<p class="muted">Period <strong>${escapeHtml(f.from)}</strong> to <strong>${escapeHtml(f.to)}</strong> (UTC, end excluded). Generated ${escapeHtml(data.generatedAt)}.</p>

<h2>Summary</h2>
<table>
<tr><th>Audit chain (whole log)</th><td>${verdict(chainOk, 'verified', 'FAILED')}</td></tr>
<tr><th>Card-number scan</th><td>${verdict(scanOk, 'no card numbers found', scan.findings.length > 0 ? `${scan.findings.length} found` : 'incomplete')}</td></tr>
<tr><th>Calls handled</th>${figure('calls.handled', f.calls.handled)}</tr>
<tr><th>Calls masked from answer</th>${figure('calls.masked-from-answer', f.calls.maskedFromAnswer)}</tr>
<tr><th>Share masked from answer</th>${figure('calls.masked-share', percent(f.calls.maskedFromAnswer, f.calls.handled))}</tr>
<tr><th>Payments</th>${figure('payments.started', f.payments.started)}</tr>
<tr><th>Payments on calls without masking</th>${figure('payments.on-unmasked-calls', f.payments.onUnmaskedCalls)}</tr>
<tr><th>Agents</th>${figure('agents', f.agents)}</tr>
</table>

<h2>Masking</h2>
<p>Every call answered through tonewall has its customer's keypad tones blocked toward the agent by Kamailio and
rtpengine at the moment of answer (<code>block_dtmf</code> before the 200 OK is relayed). Kamailio reports the masking
state in the same event that announces the answer; the gateway records it as <code>call.answered</code> with
<code>masking</code>. A call counts as masked from answer only if that record says <code>on</code>.</p>
${shareBar('Calls by masking state at answer', [
  { label: 'masked from answer', value: f.calls.maskedFromAnswer, colour: '#2f855a' },
  { label: 'not masked', value: f.calls.unmasked, colour: '#c53030' },
])}
<table>
<tr><th>Inbound calls</th>${figure('calls.inbound', f.calls.inbound)}</tr>
<tr><th>Outbound calls</th>${figure('calls.outbound', f.calls.outbound)}</tr>
</table>
${columns(
  'Calls per day',
  ['masked from answer', 'not masked'],
  f.days.map((day) => ({ label: day.day, values: [day.masked, day.calls - day.masked] })),
)}

${renderMaskingEvidence(data.maskingChecks)}

<h2>Payments</h2>
${horizontalBars('Payments by outcome', outcomeBars)}
<table><tr><th>Outcome</th><th>Payments</th></tr>${countRows(f.payments.byOutcome, 'payments.outcome')}
<tr><td>not finished in the period</td>${figure('payments.unfinished', f.payments.unfinished)}</tr></table>
<table><tr><th>Field error (attempts)</th><th>Count</th></tr>${countRows(f.fieldErrors, 'field-errors')}</table>
${columns(
  'Payments per day',
  ['payments'],
  f.days.map((day) => ({ label: day.day, values: [day.payments] })),
)}

<h2>Calls ended</h2>
<table><tr><th>Reason</th><th>Calls</th></tr>${countRows(f.calls.endedByReason, 'calls.ended')}</table>

<h2>Audit chain verification</h2>
<p>${verdict(chainOk, 'The log verifies', 'The log does NOT verify')} — ${v.records} records in ${v.files.length} file(s),
records ${v.firstSeq ?? '–'} to ${v.lastSeq ?? '–'}, ${escapeHtml(v.firstAt ?? '–')} to ${escapeHtml(v.lastAt ?? '–')};
signed head: ${escapeHtml(v.head)}. Each record is signed (Ed25519) and carries the SHA-256 of the record before it;
sequence numbers run on across files.</p>
<table>
<tr><th>Records in the period</th>${figure('records', f.records)}</tr>
<tr><th>Records in the period failing verification (not counted above)</th>${figure('records.unverified', f.unverifiedRecords)}</tr>
<tr><th>Gateway starts / stops</th><td class="n">${f.gateway.starts} / ${f.gateway.stops}</td></tr>
<tr><th>Signing key rotations</th>${figure('key-rotations', f.gateway.keyRotations)}</tr>
<tr><th>Truncations found by the gateway at start</th>${figure('truncations-found', f.gateway.truncationsFound)}</tr>
<tr><th>Key ids that verified</th><td>${v.keys.map((kid) => `<code>${escapeHtml(kid)}</code>`).join('<br>') || 'none'}</td></tr>
<tr><th>Key ids given</th><td>${data.keyIds.map((kid) => `<code>${escapeHtml(kid)}</code>`).join('<br>') || 'none'}</td></tr>
</table>
${problems.length > 0 ? `<ul class="problems">${problems.join('')}</ul>` : '<p class="muted">No problem found.</p>'}
${v.problems.length > problems.length ? `<p class="muted">… and ${v.problems.length - problems.length} more.</p>` : ''}

<h2>Card-number scan</h2>
<p>Luhn-valid numbers of 13–19 digits with a card brand's prefix and length (contiguous, or grouped by single spaces
or dashes) searched in ${scan.files} file(s), ${scan.bytes} bytes, read as bytes (logs and captures alike):
${verdict(scanOk, 'none found', `${scan.findings.length} found`)}</p>
<table><tr><th>Paths scanned</th><td>${data.scanPaths.map((path) => `<code>${escapeHtml(path)}</code>`).join('<br>')}</td></tr>
<tr><th>Findings</th>${figure('scan.findings', scan.findings.length)}</tr>
<tr><th>Unreadable paths</th>${figure('scan.unreadable', scan.unreadable.length)}</tr></table>
${findings.length > 0 ? `<table><tr><th>File</th><th>Line:col</th><th>Byte offset</th><th>Number (masked)</th><th>Brand</th></tr>${findings.join('')}</table>` : ''}

<h2>Reproducing this report</h2>
<p>With a copy of the log and the public keys only: <code>./scripts/tonewall audit verify --keys KEYS LOGDIR</code>,
<code>./scripts/tonewall pan-scan PATH…</code>, and <code>./scripts/tonewall audit report --from ${escapeHtml(f.from)} --to ${escapeHtml(f.to)} --keys KEYS --log LOGDIR</code>.
See docs/audit.md and SECURITY.md.</p>
</body></html>
`;
}
