/**
 * The one-hop baseline: the stack as it was before masking took two rtpengines — Kamailio anchors the
 * call in the edge rtpengine alone (pass-through, the bench unblocks it), so the bench can say what the
 * two-hop masked design costs against one relay. sip-config/kamailio.cfg always chains both hops; the
 * bench renders a copy of it whose every `set_rtpengine_set` names set 1 only, and restarts the stack's
 * Kamailio with it (scripts/lib/stack.sh's own functions, by the stack's pid file). The mask rtpengine
 * keeps running, idle (its CPU is reported, ~0).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/support/stack.js';

const SET_CALL = /set_rtpengine_set\("[12]"(?:,\s*"[12]")?\)/g;

/** kamailio.cfg with every rtpengine set selection replaced by the edge's (set 1). Throws when there is none. */
export function oneHopKamailioCfg(text: string): string {
  const found = text.match(SET_CALL)?.length ?? 0;
  if (found === 0)
    throw new Error('kamailio.cfg: no set_rtpengine_set() to rewrite for the one-hop baseline');
  const rewritten = text.replace(SET_CALL, 'set_rtpengine_set("1")');
  if (/set_rtpengine_set\([^)]*"2"/.test(rewritten))
    throw new Error('kamailio.cfg: a set_rtpengine_set() naming set 2 is left');
  return rewritten;
}

/**
 * Restarts the run's Kamailio on the one-hop copy of kamailio.cfg (kept in `<runDir>/one-hop-root`,
 * which stands in for TONEWALL_ROOT while the config is rendered). `env`: the stack's settings.
 */
export async function restartKamailioOneHop(
  runName: string,
  runDir: string,
  env: Record<string, string>,
): Promise<void> {
  const root = join(runDir, 'one-hop-root');
  mkdirSync(join(root, 'sip-config'), { recursive: true });
  const cfg = readFileSync(join(REPO_ROOT, 'sip-config', 'kamailio.cfg'), 'utf8');
  writeFileSync(join(root, 'sip-config', 'kamailio.cfg'), oneHopKamailioCfg(cfg));
  const script = [
    'set -euo pipefail',
    '. "$TONEWALL_ROOT/scripts/lib/stack.sh"',
    'stack_defaults',
    'stack_stop_pidfile "$2/kamailio.pid" kamailio',
    'TONEWALL_ROOT="$3" stack_start_kamailio "$1" "$2"',
  ].join('; ');
  await new Promise<void>((resolve, reject) =>
    execFile(
      'bash',
      ['-c', script, 'bench-one-hop', runName, runDir, root],
      { env: { ...process.env, ...env, TONEWALL_ROOT: REPO_ROOT }, timeout: 60_000 },
      (error, _out, stderr) =>
        error ? reject(new Error(`one-hop Kamailio: ${stderr.trim() || error.message}`)) : resolve(),
    ),
  );
}
