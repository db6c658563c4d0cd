import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import type { NgClient } from '../../../src/adapters/rtpengine/ng-client.js';
import { missingPromptFiles, promptFile } from '../../../src/adapters/rtpengine/prompt-files.js';
import { RtpenginePromptPlayer } from '../../../src/adapters/rtpengine/prompt-player.js';
import { SpokenText } from '../../../src/adapters/rtpengine/spoken-text.js';
import type { Call } from '../../../src/application/calls/call-registry.js';
import { noPrompts } from '../../../src/application/payments/payment-ports.js';
import { customerPrompts } from '../../../src/composition/customer-prompts.js';
import { loadConfig } from '../../../src/config/config.js';
import { healthRoutes } from '../../../src/delivery/http/health-routes.js';
import { PROMPT_IDS } from '../../../src/domain/capture/capture-commands.js';
import { LANGUAGES } from '../../../src/domain/language/languages.js';
import { createLogger } from '../../../src/logger.js';

const ROOT = resolve(import.meta.dirname, '../../..');
/** Never called: these tests play nothing. */
const NG = {} as NgClient;
const dir = mkdtempSync(join(tmpdir(), 'tonewall-prompts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function touchAll(folder: string): void {
  for (const language of LANGUAGES) {
    mkdirSync(join(folder, language), { recursive: true });
    for (const prompt of PROMPT_IDS) writeFileSync(promptFile(folder, language, prompt), 'RIFF');
  }
}

async function healthz(folder: string): Promise<{ status: number; body: unknown }> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } });
  const probes = customerPrompts(
    loadConfig({ TONEWALL_PROMPTS_DIR: folder }),
    NG,
    async (_c, run) => run(),
    logger,
  ).health;
  const app = express().use(healthRoutes(probes));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ready) => server.once('listening', ready));
  const { port } = server.address() as { port: number };
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  server.close();
  return { status: response.status, body: { ...((await response.json()) as object), warned: lines.length } };
}

describe('prompt files: checked at start and by /healthz', () => {
  it('all there: prompts up, nothing warned', async () => {
    const folder = join(dir, 'all');
    touchAll(folder);
    expect(missingPromptFiles(folder)).toEqual([]);
    expect(await healthz(folder)).toEqual({
      status: 200,
      body: { status: 'up', components: { prompts: { status: 'up' } }, warned: 0 },
    });
  });

  it('one missing: named, degraded (200), warned at start', async () => {
    const folder = join(dir, 'one-missing');
    touchAll(folder);
    rmSync(promptFile(folder, 'cy-GB', 'ask-security-code'));
    expect(missingPromptFiles(folder)).toEqual(['cy-GB/ask-security-code.wav']);
    expect(await healthz(folder)).toEqual({
      status: 200,
      body: {
        status: 'degraded',
        components: {
          prompts: { status: 'degraded', detail: '1 prompt file(s) missing: cy-GB/ask-security-code.wav' },
        },
        warned: 1,
      },
    });
  });

  it('prompts off: no component', () => {
    const off = customerPrompts(
      loadConfig({}),
      NG,
      async (_c, run) => run(),
      createLogger({ level: 'silent' }),
    );
    expect(off).toEqual({ player: noPrompts, health: {} });
  });
});

describe('scripts/make-prompts.ts (espeak-ng and sox; missing: this fails)', () => {
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const run = (...args: string[]) =>
    execFileSync(tsx, ['scripts/make-prompts.ts', ...args], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });

  it('speaks a language with its voice, 8 kHz mono; a recording dropped in replaces one prompt', {
    timeout: 120_000,
  }, () => {
    const out = join(dir, 'made');
    const recorded = join(dir, 'recorded');
    run('--dir', out, '--language', 'cy-GB', '--recorded', recorded);
    expect(readFileSync(join(out, 'cy-GB', 'payment-succeeded.source'), 'utf8')).toBe(
      'espeak-ng cy\nDiolch. Roedd eich taliad yn llwyddiannus.\n',
    );
    const info = (file: string) => execFileSync('soxi', [file], { encoding: 'utf8' });
    expect(info(promptFile(out, 'cy-GB', 'payment-succeeded'))).toMatch(
      /Channels\s+: 1[\s\S]*Sample Rate\s+: 8000/,
    );
    expect(() => run('--dir', out, '--language', 'cy-GB', '--check', '--recorded', recorded)).not.toThrow();

    // a 16 kHz stereo recording in the per-language folder: used instead, made 8 kHz mono
    mkdirSync(join(recorded, 'cy-GB'), { recursive: true });
    const recording = join(recorded, 'cy-GB', 'payment-succeeded.wav');
    execFileSync('sox', ['-n', '-r', '16000', '-c', '2', recording, 'synth', '0.5', 'sine', '440']);
    expect(() => run('--dir', out, '--language', 'cy-GB', '--check', '--recorded', recorded)).toThrow();
    run('--dir', out, '--language', 'cy-GB', '--recorded', recorded);
    expect(readFileSync(join(out, 'cy-GB', 'payment-succeeded.source'), 'utf8')).toMatch(/^recording /);
    expect(info(promptFile(out, 'cy-GB', 'payment-succeeded'))).toMatch(/Duration\s+: 00:00:00.50/);
    expect(info(promptFile(out, 'cy-GB', 'payment-succeeded'))).toMatch(
      /Channels\s+: 1[\s\S]*Sample Rate\s+: 8000/,
    );
  });

  it('refuses an unknown language (exit 2)', { timeout: 60_000 }, () => {
    expect(() => run('--dir', join(dir, 'x'), '--language', 'xx-XX')).toThrow(/unknown --language xx-XX/);
  });
});

describe('RtpenginePromptPlayer', () => {
  it('asks rtpengine for the language’s file; a payment without one gets the default language’s', async () => {
    const requests: Array<Record<string, unknown>> = [];
    const ng = { request: async (message: Record<string, unknown>) => void requests.push(message) };
    const player = new RtpenginePromptPlayer({
      ng: ng as unknown as NgClient,
      directory: '/srv/prompts',
      defaultLanguage: 'cy-GB',
    });
    const call = { id: 'CA1', sipCallId: 'sip-1', customerTag: 'tag-1' } as Call;
    await player.play(call, 'ask-security-code', 'es-ES');
    await player.play(call, 'payment-succeeded', undefined);
    expect(requests).toEqual([
      {
        command: 'play media',
        'call-id': 'sip-1',
        'from-tag': 'tag-1',
        file: '/srv/prompts/es-ES/ask-security-code.wav',
      },
      {
        command: 'play media',
        'call-id': 'sip-1',
        'from-tag': 'tag-1',
        file: '/srv/prompts/cy-GB/payment-succeeded.wav',
      },
    ]);
  });
});

describe('the amount read back, spoken at run time (espeak-ng and sox; missing: this fails)', () => {
  it('says the language’s sentence with its voice, once per sentence, 8 kHz mono, readable by others', async () => {
    const spoken = new SpokenText({ directory: join(dir, 'spoken') });
    const requests: Array<Record<string, unknown>> = [];
    const ng = { request: async (message: Record<string, unknown>) => void requests.push(message) };
    const player = new RtpenginePromptPlayer({
      ng: ng as unknown as NgClient,
      directory: '/srv/prompts',
      defaultLanguage: 'en-GB',
      spoken,
    });
    const call = { id: 'CA1', sipCallId: 'sip-1', customerTag: 'tag-1' } as Call;
    await player.readBack(call, { chargeAmount: '2.03', currency: 'gbp' }, 'cy-GB');
    const file = await spoken.fileFor(
      "Rydych chi'n talu dwy bunt a tair ceiniog. Pwyswch hash i gadarnhau, neu seren i ganslo.",
      'cy',
    );
    expect(requests).toEqual([{ command: 'play media', 'call-id': 'sip-1', 'from-tag': 'tag-1', file }]);
    const info = execFileSync('soxi', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Channels\s+: 1[\s\S]*Sample Rate\s+: 8000/);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const made = statSync(file).mtimeMs;
    await player.readBack(call, { chargeAmount: '2.03', currency: 'gbp' }, 'cy-GB');
    expect(statSync(file).mtimeMs).toBe(made);
    expect(requests).toHaveLength(2);
    // reads back by default only when it can speak and the setting says so
    expect(player.readsBackByDefault).toBe(false);
    const on = { ng: ng as unknown as NgClient, directory: '/srv', defaultLanguage: 'en-GB' as const };
    expect(new RtpenginePromptPlayer({ ...on, spoken, readBackByDefault: true }).readsBackByDefault).toBe(
      true,
    );
    expect(new RtpenginePromptPlayer({ ...on, readBackByDefault: true }).readsBackByDefault).toBe(false);
  }, 30_000);
});
