import type { CallChange } from '../application/calls/call-registry.js';
import type { Logger } from '../logger.js';

/** One info line per change of the call registry: a call active, its agent connected or moved, ended. */
export function logCallChange(logger: Logger, change: CallChange): void {
  if (change.type === 'added') {
    const { id, direction, phase } = change.call;
    logger.info({ callId: id, direction, phase }, 'call active');
  } else if (change.type === 'agent') {
    const { id, masking } = change.call;
    logger.info(
      { callId: id, masking, via: change.via, after: change.previous.phase },
      'call agent connected',
    );
  } else {
    logger.info({ callId: change.call.id, reason: change.reason }, 'call ended');
  }
}
