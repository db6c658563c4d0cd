/** Kamailio's JSON-RPC in the suite's stack (127.0.0.1:5071), for settings a test changes and puts back. */
const RPC = 'http://127.0.0.1:5071/RPC';

/** Sets Kamailio's `tonewall.masking_from` (TONEWALL_MASKING_FROM) for calls answered from now on. */
export async function setMaskingFrom(value: 'answer' | 'agent'): Promise<void> {
  const response = await fetch(RPC, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      method: 'cfg.sets',
      params: ['tonewall', 'masking_from', value],
      id: 1,
    }),
  });
  const reply = (await response.json()) as { error?: unknown };
  if (reply.error !== undefined) throw new Error(`cfg.sets: ${JSON.stringify(reply.error)}`);
}
