/**
 * A missing prompt file shows in `./scripts/tonewall status` (issue 21): the gateway's prompt check
 * (composition/customer-prompts.ts) behind the real /healthz route, and the status script's function
 * that reads /healthz (scripts/lib/stack-run.sh `stack_gateway_health`) run by bash against it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import { afterAll, expect, it } from 'vitest';
import type { NgClient } from '../../src/adapters/rtpengine/ng-client.js';
import { promptFile } from '../../src/adapters/rtpengine/prompt-files.js';
import { customerPrompts } from '../../src/composition/customer-prompts.js';
import { loadConfig } from '../../src/config/config.js';
import { healthRoutes } from '../../src/delivery/http/health-routes.js';
import { PROMPT_IDS } from '../../src/domain/capture/capture-commands.js';
import { LANGUAGES } from '../../src/domain/language/languages.js';
import { createLogger } from '../../src/logger.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tonewall-status-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function statusLines(folder: string): Promise<string> {
  const { health } = customerPrompts(
    loadConfig({ TONEWALL_PROMPTS_DIR: folder }),
    {} as NgClient,
    async (_command, run) => run(),
    createLogger({ level: 'silent' }),
  );
  const server = express().use(healthRoutes(health)).listen(0, '127.0.0.1');
  await new Promise((ready) => server.once('listening', ready));
  const { port } = server.address() as { port: number };
  try {
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-c', 'source scripts/lib/stack-run.sh && stack_gateway_health'],
      {
        cwd: ROOT,
        env: { ...process.env, TONEWALL_HTTP_HOST: '127.0.0.1', TONEWALL_HTTP_PORT: String(port) },
      },
    );
    return stdout;
  } finally {
    server.close();
  }
}

it('prints the missing prompt file, and nothing when all are there', async () => {
  for (const language of LANGUAGES) {
    mkdirSync(join(dir, language), { recursive: true });
    for (const prompt of PROMPT_IDS) writeFileSync(promptFile(dir, language, prompt), 'RIFF');
  }
  expect(await statusLines(dir)).toBe('');
  rmSync(promptFile(dir, 'es-ES', 'payment-succeeded'));
  expect(await statusLines(dir)).toBe(
    'gateway    prompts  degraded  1 prompt file(s) missing: es-ES/payment-succeeded.wav\n',
  );
});
