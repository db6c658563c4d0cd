/** The gateway's view of a load's calls, read through its API. */
import type { CallView } from '../../test/support/gateway-api.js';

/**
 * Every call `GET /v1/calls` lists, page after page (200 a page, following `nextCursor`: the list is
 * paginated, 50 a page by default).
 */
export async function listCalls(baseUrl: string, apiKey: string): Promise<CallView[]> {
  const calls: CallView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const url = new URL('/v1/calls', baseUrl);
    url.searchParams.set('limit', '200');
    if (cursor) url.searchParams.set('cursor', cursor);
    const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    if (!response.ok) throw new Error(`GET /v1/calls: HTTP ${response.status}`);
    const body = (await response.json()) as { calls: CallView[]; nextCursor?: string };
    calls.push(...body.calls);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return calls;
}

/** `bench-agent-7` → 6: the agent's injection line, i.e. its endpoint. */
export function agentIndexOf(agent: string): number | undefined {
  const match = /^bench-agent-(\d+)$/.exec(agent);
  return match ? Number(match[1]) - 1 : undefined;
}
