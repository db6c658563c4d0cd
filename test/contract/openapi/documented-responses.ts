/**
 * Checks the answers an in-process API test receives against docs/openapi.json: each test file
 * records its server's responses (`recordResponses(server)`, whatever the client: fetch or raw
 * node:http) and ends with `expect(undocumented(records)).toEqual([])`.
 *
 * A response to a documented operation must have a documented status, its headers marked required,
 * a documented content type and, for JSON, a body the schema accepts (ajv, JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1). A `/v1` request no operation matches must be a 4xx in the error shape
 * (404, or 401/403 when the credentials fail first, 400 when its body does).
 * Every response, documented path or not, carries `X-Request-Id`.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';

export interface RecordedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly body: string;
}

const MAX_BODY = 1 << 20;

/** Records every response `server` sends, from the first byte of the request on. */
export function recordResponses(server: Server): RecordedResponse[] {
  const records: RecordedResponse[] = [];
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_BODY) return;
      const buffer = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      size += buffer.length;
      chunks.push(buffer);
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    }) as ServerResponse['write'];
    response.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return end(...args);
    }) as ServerResponse['end'];
    let recorded = false;
    const record = () => {
      if (recorded || !response.headersSent) return;
      recorded = true;
      records.push({
        method: request.method ?? 'GET',
        // as express routes it: no query, no fragment (a raw `#` can reach the server)
        path: (request.url ?? '/').split(/[?#]/)[0] ?? '/',
        status: response.statusCode,
        headers: response.getHeaders(),
        body: Buffer.concat(chunks).toString('utf8'),
      });
    };
    response.once('finish', record);
    response.once('close', record);
  });
  return records;
}

interface Operation {
  readonly responses: Record<
    string,
    {
      readonly headers?: Record<string, { readonly required?: boolean }>;
      readonly content?: Record<string, { readonly schema?: unknown }>;
    }
  >;
}

interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
}

const DOCUMENT_ID = 'https://tonewall.invalid/openapi.json';
const documentText = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
const document = JSON.parse(documentText) as Document;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(document, DOCUMENT_ID);

/** Path templates, literal ones first: `/v1/payments/{paymentId}` → /^\/v1\/payments\/[^/]+$/. */
const templates = Object.keys(document.paths)
  .map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    pattern: new RegExp(
      `^${template
        .split(/\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('[^/]+')}/?$`,
      'i', // express routes ignore case and a trailing slash
    ),
  }))
  .sort((a, b) => a.params - b.params);

const pointer = (...parts: string[]) =>
  `${DOCUMENT_ID}#/${parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function validate(ref: string, body: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  const check = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  return check(value) ? undefined : ajv.errorsText(check.errors);
}

/** The responses that break the document, one line each (empty: all as documented). */
export function undocumented(records: readonly RecordedResponse[]): string[] {
  const problems: string[] = [];
  for (const record of records) {
    const where = `${record.method} ${record.path} → ${record.status}`;
    if (typeof record.headers['x-request-id'] !== 'string') problems.push(`${where}: no X-Request-Id`);
    if (!record.path.startsWith('/v1/')) continue;
    const method = record.method === 'HEAD' ? 'get' : record.method.toLowerCase();
    const template = templates.find((candidate) => candidate.pattern.test(record.path))?.template;
    const operation = template === undefined ? undefined : document.paths[template]?.[method];
    const type =
      String(record.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim() ?? '';
    if (record.method === 'OPTIONS' && template && record.status === 200) {
      // express's router answers OPTIONS itself on a known path (an `Allow` list, no operation)
      if (typeof record.headers.allow !== 'string') problems.push(`${where}: no Allow header`);
      continue;
    }
    if (!template || !operation) {
      if (record.status < 400 || record.status >= 500)
        problems.push(`${where}: no such operation in the document, yet not a 4xx`);
      else if (record.method !== 'HEAD') {
        const problem = validate(pointer('components', 'schemas', 'Error'), record.body);
        if (problem) problems.push(`${where}: not the error shape: ${problem}`);
      }
      continue;
    }
    const status = String(record.status);
    const response = operation.responses[status] ?? operation.responses.default;
    if (!response) {
      problems.push(`${where}: status not documented for ${method.toUpperCase()} ${template}`);
      continue;
    }
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (header.required && record.headers[name.toLowerCase()] === undefined)
        problems.push(`${where}: no ${name} header`);
    }
    if (record.body === '' || record.method === 'HEAD') continue;
    const media = response.content?.[type];
    if (!media) {
      problems.push(`${where}: content type "${type}" not documented`);
      continue;
    }
    if (type !== 'application/json' || media.schema === undefined) continue;
    const key = operation.responses[status] ? status : 'default';
    const problem = validate(
      pointer('paths', template, method, 'responses', key, 'content', type, 'schema'),
      record.body,
    );
    if (problem) problems.push(`${where}: ${problem}`);
  }
  return problems;
}
