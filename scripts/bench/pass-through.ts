/**
 * The pass-through modes (bench-ports.ts UNMASKED_BLOCK_FLAGS): as a call appears, `unblock DTMF`
 * (`delay-buffer: 0`) on every hop it crosses that blocks (edge and mask with masking off; the edge
 * alone in one-hop), so the agent gets the customer's media untouched. Masked: nothing to do.
 */
import type { LoadOptions } from './load-types.js';

export function unblockCall(
  options: Pick<LoadOptions, 'masking' | 'ng'>,
  call: { readonly sipCallId: string; readonly fromTag: string },
  problems: string[],
): void {
  if (options.masking === 'on') return;
  const hops = options.masking === 'off' ? [options.ng.edge, options.ng.mask] : [options.ng.edge];
  for (const hop of hops) {
    hop
      .request({
        command: 'unblock DTMF',
        'call-id': call.sipCallId,
        'from-tag': call.fromTag,
        'delay-buffer': 0,
      })
      .catch((error: Error) => problems.push(`unblock ${call.sipCallId}: ${error.message}`));
  }
}
