/**
 * What the bench ran: the masking settings scripts/lib/stack.sh resolves for a mode (its defaults plus
 * the bench's env), and the commit the stack and gateway came from with the files that differed.
 */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../../test/support/stack.js';
import { type MaskingMode, stackEnv } from './bench-ports.js';

const SETTINGS = [
  'TONEWALL_EDGE_BLOCK_DTMF_FLAGS',
  'TONEWALL_BLOCK_DTMF_FLAGS',
  'TONEWALL_EDGE_TRANSCODE_FLAGS',
  'TONEWALL_MASK_RTPE_ARGS',
  'TONEWALL_RTPE_THREADS',
] as const;

export function resolvedStackSettings(mode: MaskingMode): Record<string, string> {
  const script = `. "$TONEWALL_ROOT/scripts/lib/stack.sh"; stack_defaults; ${SETTINGS.map((name) => `printf '%s\\n' "$${name}"`).join('; ')}`;
  const out = execFileSync('bash', ['-c', script], {
    env: { ...process.env, ...stackEnv(mode), TONEWALL_ROOT: REPO_ROOT },
    encoding: 'utf8',
  }).split('\n');
  return Object.fromEntries(SETTINGS.map((name, i) => [name, out[i] ?? '']));
}

/** HEAD, and the files under what the bench runs (src, sip-config, scripts) that differ from it. */
export function sourceState(): { commit: string; uncommitted: string[] } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const commit = git('rev-parse', 'HEAD').trim();
  const uncommitted = git(
    'status',
    '--porcelain',
    '--',
    'src',
    'sip-config',
    'scripts/lib',
    'scripts/bench',
    'scripts/bench.ts',
  )
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
  return { commit, uncommitted };
}
