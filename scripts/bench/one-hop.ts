/**
 * The one-hop baseline: the stack as it was before masking took several rtpengines — Kamailio anchors
 * the call in the edge rtpengine alone (pass-through, the bench unblocks it), so the bench can say what
 * the three-hop masked design costs against one relay. sip-config/kamailio.cfg always chains the three
 * hops; the bench renders a copy of it whose offer and answer go to set 1 only, and restarts the
 * stack's Kamailio with it (scripts/lib/stack.sh's own functions, by the stack's pid file). The mask
 * and mute rtpengines keep running, idle (their CPU is reported, ~0).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/support/stack.js';

const SET_CALL = /set_rtpengine_set\("[123]"(?:,\s*"[123]")?\)/g;

/** One route block of kamailio.cfg (`route[NAME] { … }`, closed by a `}` alone on its line). */
function routeBlock(name: string): RegExp {
  return new RegExp(`route\\[${name}\\] \\{\\n[\\s\\S]*?\\n\\}\\n`);
}

/**
 * kamailio.cfg with the media on the edge rtpengine alone: the offer and answer routes (which chain
 * the three hops) become one offer or answer on set 1, with the same flags, and every other rtpengine
 * set selection names set 1. Throws when the config no longer has what this rewrites.
 */
export function oneHopKamailioCfg(text: string): string {
  let rewritten = text;
  for (const [route, command] of [
    ['RTPE_OFFER', 'rtpengine_offer'],
    ['RTPE_ANSWER', 'rtpengine_answer'],
  ] as const) {
    const block = routeBlock(route).exec(rewritten)?.[0];
    const flags = block && new RegExp(`${command}\\("([^"]*)"\\)`).exec(block)?.[1];
    if (!block || flags === undefined)
      throw new Error(
        `kamailio.cfg: no route[${route}] with ${command}() to rewrite for the one-hop baseline`,
      );
    rewritten = rewritten.replace(
      block,
      `route[${route}] {\n\tset_rtpengine_set("1");\n\tif (!${command}("${flags}")) return(-1);\n\treturn(1);\n}\n`,
    );
  }
  if ((rewritten.match(SET_CALL)?.length ?? 0) === 0)
    throw new Error('kamailio.cfg: no set_rtpengine_set() to rewrite for the one-hop baseline');
  rewritten = rewritten.replace(SET_CALL, 'set_rtpengine_set("1")');
  if (/set_rtpengine_set\([^)]*"[23]"/.test(rewritten))
    throw new Error('kamailio.cfg: a set_rtpengine_set() naming set 2 or 3 is left');
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
