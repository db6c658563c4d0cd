import type { AnsweredCallSource } from '../../application/calls/answered-call-source.js';
import { callsFromDialogList } from './dialog-list.js';
import type { JsonRpcClient } from './jsonrpc-client.js';

/** The answered calls as Kamailio's dialog module lists them (JSON-RPC `dlg.list`). */
export class KamailioDialogs implements AnsweredCallSource {
  readonly #rpc: JsonRpcClient;

  constructor(rpc: JsonRpcClient) {
    this.#rpc = rpc;
  }

  async listAnswered() {
    return callsFromDialogList(await this.#rpc.call('dlg.list'));
  }
}
