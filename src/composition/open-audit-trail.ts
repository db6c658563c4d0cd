import { AuditSigner } from '../adapters/audit/audit-signer.js';
import { AuditStoreThread, type SignerSocket } from '../adapters/audit/audit-store-thread.js';
import { RemoteSigner } from '../adapters/audit/remote-signer.js';
import { AuditTrail } from '../application/audit/audit-trail.js';
import type { AuditSettings } from '../config/audit-settings.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Opens the file log of `settings` (continuing its chain) with the key file it names, on a thread of
 * its own, and the trail that writes to it. A log last signed by another key continues only with
 * that key given as `previousKeyFile` (TONEWALL_AUDIT_PREVIOUS_KEY): it cross-signs the rotation. Rejects with GW_ERR_AUDIT_KEY (key file), GW_ERR_AUDIT_LOG
 * (directory, last record) or GW_ERR_AUDIT_WRITE (`log.opened` not written).
 */
export async function openAuditTrail(options: {
  readonly settings: AuditSettings;
  readonly clock: { now(): number };
  readonly logger: Logger;
}): Promise<AuditTrail> {
  const { signer, previousSigner } = await signersOf(options.settings);
  let trail: AuditTrail | undefined;
  const log = await AuditStoreThread.open({
    directory: options.settings.directory,
    signer,
    ...(previousSigner ? { previousSigner } : {}),
    maxFileBytes: options.settings.maxFileBytes,
    clock: options.clock,
    // a failure with no record waiting on it (the thread died between records) is logged too
    onFailure: (error) => trail?.logFailed(error),
  });
  options.logger.info({ kid: signer.kid, head: log.lastSeq }, 'audit log open');
  trail = new AuditTrail({ log, logger: options.logger });
  return trail;
}

/**
 * The signer process when `TONEWALL_AUDIT_SIGNER_SOCKET` names one (the gateway then never reads a
 * key: the signer holds the previous key too, for a rotation), else the key files.
 */
async function signersOf(
  settings: AuditSettings,
): Promise<{ signer: AuditSigner | SignerSocket; previousSigner: AuditSigner | undefined }> {
  if (settings.signerSocket !== undefined) {
    const remote = await RemoteSigner.open(settings.signerSocket).catch((error: unknown) => {
      throw new GatewayError(
        'GW_ERR_AUDIT_KEY',
        'the audit signer (TONEWALL_AUDIT_SIGNER_SOCKET) cannot be reached',
        {
          cause: error,
        },
      );
    });
    remote.close();
    return { signer: { socketPath: settings.signerSocket, kid: remote.kid }, previousSigner: undefined };
  }
  return {
    signer: await AuditSigner.fromFile(settings.signingKeyFile),
    previousSigner:
      settings.previousKeyFile === undefined
        ? undefined
        : await AuditSigner.fromFile(settings.previousKeyFile),
  };
}
