/**
 * What the test stack's Kamailio and rtpengine hold right now, read from their own control
 * interfaces (not through the gateway): Kamailio's dialogs over JSON-RPC (`dlg.list`) and rtpengine's
 * calls over its CLI (`list sessions all`). For checks that a call left nothing behind.
 */
import { createConnection } from 'node:net';

export interface StackAddresses {
  /** Kamailio JSON-RPC (default http://127.0.0.1:5071/RPC, TONEWALL_RPC_PORT). */
  readonly rpcUrl?: string;
  /** rtpengine CLI (default 127.0.0.1:2224, TONEWALL_CLI_PORT). */
  readonly cli?: { readonly host: string; readonly port: number };
}

export interface KamailioDialog {
  readonly callId: string;
  /** 1 unconfirmed, 2 early, 3 answered without ACK, 4 confirmed, 5 deleted. */
  readonly state: number;
}

/** An ended dialog, which Kamailio keeps listing for a while after the BYE. */
export const DIALOG_DELETED = 5;

/** Kamailio's dialogs (`dlg.list`). */
export async function kamailioDialogs(addresses: StackAddresses = {}): Promise<KamailioDialog[]> {
  const response = await fetch(addresses.rpcUrl ?? 'http://127.0.0.1:5071/RPC', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'dlg.list', id: 1 }),
    signal: AbortSignal.timeout(2000),
  });
  const body = (await response.json()) as { result?: Array<{ 'call-id': string; state: number }> };
  return (body.result ?? []).map((dialog) => ({ callId: dialog['call-id'], state: dialog.state }));
}

export interface RtpengineCall {
  readonly callId: string;
  /** rtpengine has scheduled its deletion (a `delete` arrived; it goes about 30 s later). */
  readonly deletionMarked: boolean;
}

/** rtpengine's calls (CLI `list sessions all`). */
export function rtpengineCalls(addresses: StackAddresses = {}): Promise<RtpengineCall[]> {
  const { host, port } = addresses.cli ?? { host: '127.0.0.1', port: 2224 };
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = createConnection({ host, port }, () => socket.end('list sessions all\n'));
    socket.setTimeout(2000, () => socket.destroy(new Error(`rtpengine CLI ${host}:${port} did not answer`)));
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const calls: RtpengineCall[] = [];
      for (const line of text.split('\n')) {
        const match = /^callid:\s+(\S+)\s+\|\s+deletionmark:\s+(yes|no)/.exec(line);
        if (match?.[1]) calls.push({ callId: match[1], deletionMarked: match[2] === 'yes' });
      }
      resolve(calls);
    });
  });
}
