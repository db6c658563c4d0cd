import type { VerifiedEvidence } from './masking-evidence.js';
import { escapeHtml } from './report-charts.js';

const SHOWN = 5;

/**
 * The report's "Masking self-test" section: the newest signed results of `masking-check` (real calls
 * through this stack, every agent stream checked), with whether each signature verified.
 */
export function renderMaskingEvidence(checks: readonly VerifiedEvidence[]): string {
  const trusted = checks.filter((check) => check.signature === 'ok' && check.evidence);
  const untrusted = checks.length - trusted.length;
  const latest = trusted[0]?.evidence;
  const rows = trusted.slice(0, SHOWN).map(({ evidence: e }) => {
    if (!e) return '';
    const delay = e.addedDelayMs.median === null ? '–' : `${e.addedDelayMs.median.toFixed(1)} ms`;
    return `<tr><td>${escapeHtml(e.checkedAt)}</td><td>${escapeHtml(e.stack)}</td><td class="n">${e.calls}</td><td class="n">${e.keys}</td><td class="n">${e.leakedToneMs}</td><td class="n">${e.eventsAtAgent}</td><td class="n">${escapeHtml(delay)}</td><td>${e.passed ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>'}</td></tr>`;
  });
  const summary = latest
    ? `Last run <strong data-figure="masking-check.last">${escapeHtml(latest.checkedAt)}</strong>: ${latest.passed ? '<span class="pass">pass</span>' : '<span class="fail">FAIL</span>'} — ${latest.calls} calls, ${latest.keys} keys, ${latest.leakedToneMs} ms of DTMF tone and ${latest.eventsAtAgent} digit events at the agent.`
    : '<span class="fail">No signed masking self-test found</span> — run <code>./scripts/tonewall masking-check</code> on this stack.';
  return `<h2>Masking self-test</h2>
<p><code>./scripts/tonewall masking-check</code> places real calls through this stack's Kamailio and rtpengines, the customer
keying a whole payment and a retry in every RTP layout of the generator (gaps, off-grid events, lost and reordered packets,
in-band tones down to −40 dBFS), and checks every agent stream for DTMF tone and digit events. Each result is signed with the
audit key. ${summary}</p>
${rows.length > 0 ? `<table><tr><th>Checked at</th><th>Stack</th><th>Calls</th><th>Keys</th><th>ms of tone at agent</th><th>Digit events at agent</th><th>Added delay (median)</th><th>Result</th></tr>${rows.join('')}</table>` : ''}
${untrusted > 0 ? `<p><span class="fail">${untrusted} result file(s) did not verify</span> (bad or unknown signature, or malformed) and are not shown.</p>` : ''}`;
}
