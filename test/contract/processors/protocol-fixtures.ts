import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The fixtures of docs/processor-protocol.md, "Fixtures", read and checked for shape. */
export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/processor-protocol/', import.meta.url));

const json = z.record(z.string(), z.unknown());
const gatewayError = z.object({ code: z.string(), retryable: z.boolean() }).strict();

const exchangeSchema = z
  .object({
    request: z
      .object({
        headers: z.record(z.string(), z.string()),
        /** The JWE's protected header: what the connector sends, or what to encrypt under. */
        jwe: z.record(z.string(), z.string()).optional(),
        /** The plaintext inside the JWE. */
        payload: json.optional(),
        /** The literal body, sent as it is instead of a fresh JWE of `payload`. */
        body: z.string().optional(),
      })
      .strict(),
    reply: z
      .object({
        status: z.number().int(),
        headers: z.record(z.string(), z.string()).optional(),
        /** An example body; fields named in `patterns` vary and are matched by those expressions. */
        body: json.optional(),
        rawBody: z.string().optional(),
        patterns: z.record(z.string(), z.string()).optional(),
        /** The body must equal the one the sandbox sent in this earlier exchange (a replay). */
        sameBodyAs: z.number().int().min(0).optional(),
      })
      .strict(),
    connector: z
      .object({
        /** False: the connector never sends this request (only its reply mapping is checked). */
        sends: z.boolean().default(true),
        /** The connector refuses this request itself, with this code, before sending anything. */
        refusal: z.string().optional(),
        result: json.optional(),
        error: gatewayError.optional(),
      })
      .strict()
      .refine((connector) => (connector.result === undefined) !== (connector.error === undefined), {
        message: 'exactly one of result and error',
      }),
  })
  .strict();
export type FixtureExchange = z.infer<typeof exchangeSchema>;

const caseSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/),
    summary: z.string(),
    sides: z
      .array(z.enum(['connector', 'sandbox']))
      .min(1)
      .default(['connector', 'sandbox']),
    exchanges: z.array(exchangeSchema).min(1),
  })
  .strict();
export type FixtureCase = z.infer<typeof caseSchema> & { readonly file: string };

const fileSchema = z
  .object({ $comment: z.string(), summary: z.string(), cases: z.array(caseSchema) })
  .strict();

/** Every case of every *.json fixture file, in file then case order. */
export function loadFixtures(): FixtureCase[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((file) =>
      fileSchema
        .parse(JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')))
        .cases.map((fixture) => ({ ...fixture, file })),
    );
}

/** The TEST-ONLY encryption key pair the fixtures are made for (public; never use it elsewhere). */
export function testOnlyEncryptionKey(): { certificate: string; privateKey: string } {
  const read = (name: string) => readFileSync(join(FIXTURE_DIR, 'keys', name), 'utf8');
  return {
    certificate: read('TEST-ONLY-encryption.pem'),
    privateKey: read('TEST-ONLY-encryption.key'),
  };
}

/** `actual` against an example body: fields in `patterns` by expression, the others by value. */
export function bodyMismatches(
  actual: Record<string, unknown>,
  example: Record<string, unknown>,
  patterns: Readonly<Record<string, string>> = {},
): string[] {
  const problems: string[] = [];
  const names = new Set([...Object.keys(actual), ...Object.keys(example)]);
  for (const name of names) {
    const pattern = patterns[name];
    const value = actual[name];
    if (pattern !== undefined) {
      if (typeof value !== 'string' || !new RegExp(pattern).test(value))
        problems.push(`"${name}" /${pattern}/`);
    } else if (JSON.stringify(value) !== JSON.stringify(example[name])) problems.push(`"${name}"`);
  }
  return problems;
}
