import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GatewayError } from '../errors.js';
import type { Config } from './config.js';

/** What a key file must hold to be of use. */
type Holds = 'certificate' | 'private key' | 'Ed25519 private key';

interface KeyFile {
  /** The setting that names the file, e.g. TONEWALL_PROCESSOR_CLIENT_KEY. */
  readonly setting: string;
  readonly path: string;
  readonly holds: Holds;
}

/** Every key and certificate file the gateway reads at start-up, with the setting that names it. */
export function keyFilesOf(config: Config): KeyFile[] {
  const files: KeyFile[] = [];
  // with a signer process the gateway reads no audit key (it may not be able to)
  if (config.audit.signerSocket === undefined) {
    files.push({
      setting: 'TONEWALL_AUDIT_KEY',
      path: config.audit.signingKeyFile,
      holds: 'Ed25519 private key',
    });
  }
  if (config.audit.previousKeyFile !== undefined && config.audit.signerSocket === undefined) {
    files.push({
      setting: 'TONEWALL_AUDIT_PREVIOUS_KEY',
      path: config.audit.previousKeyFile,
      holds: 'Ed25519 private key',
    });
  }
  const shipping = config.audit.shipping;
  if (shipping) {
    files.push(
      { setting: 'TONEWALL_AUDIT_SHIP_CA', path: shipping.caFile, holds: 'certificate' },
      { setting: 'TONEWALL_AUDIT_SHIP_CERT', path: shipping.certFile, holds: 'certificate' },
      { setting: 'TONEWALL_AUDIT_SHIP_KEY', path: shipping.keyFile, holds: 'private key' },
    );
  }
  const processor = config.processor;
  if (processor.kind !== 'stripe') {
    files.push(
      {
        setting: 'TONEWALL_PROCESSOR_ENCRYPTION_CERT',
        path: processor.encryptionCertFile,
        holds: 'certificate',
      },
      { setting: 'TONEWALL_PROCESSOR_CLIENT_CERT', path: processor.clientCertFile, holds: 'certificate' },
      { setting: 'TONEWALL_PROCESSOR_CLIENT_KEY', path: processor.clientKeyFile, holds: 'private key' },
      { setting: 'TONEWALL_PROCESSOR_CA', path: processor.caFile, holds: 'certificate' },
    );
  }
  const tls = config.access.tls;
  if (tls) {
    files.push(
      { setting: 'TONEWALL_HTTP_TLS_CERT', path: tls.certFile, holds: 'certificate' },
      { setting: 'TONEWALL_HTTP_TLS_KEY', path: tls.keyFile, holds: 'private key' },
    );
  }
  return files;
}

/** Why the file is of no use (undefined: it is). Never the path or the file's contents. */
async function problemOf(file: KeyFile): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  try {
    if (file.holds === 'certificate') {
      new X509Certificate(bytes);
    } else {
      const key = createPrivateKey(bytes);
      if (file.holds === 'Ed25519 private key' && key.asymmetricKeyType !== 'ed25519') {
        return `does not hold an ${file.holds}`;
      }
    }
  } catch {
    return `does not hold a PEM ${file.holds}`;
  }
  return undefined;
}

/**
 * Reads every key and certificate file the configuration names, once, before anything starts: a
 * missing, unreadable or wrong file stops start-up with GW_ERR_CONFIG naming each bad setting (and
 * why: ENOENT, EACCES, not a certificate), as a bad value does. The components read their files
 * again when they start; this is only the check.
 */
export async function checkKeyFiles(config: Config): Promise<void> {
  const files = keyFilesOf(config);
  const problems = await Promise.all(files.map(problemOf));
  const named = files.flatMap((file, index) => {
    const problem = problems[index];
    return problem === undefined ? [] : [`${file.setting}: ${problem}`];
  });
  if (named.length > 0) {
    throw new GatewayError('GW_ERR_CONFIG', `invalid configuration: ${named.join('; ')}`);
  }
}
