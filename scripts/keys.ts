/**
 * Makes the development key set (node-forge; Ed25519 through node:crypto) and prints what it wrote.
 *
 *   npx tsx scripts/keys.ts [--dir keys] [--force] [--encryption-keys 2]
 *
 * Idempotent: an existing certificate/key pair is kept unless --force. When the CA is (re)made, every
 * certificate it signs is remade too. Private keys are PKCS#8 PEM, mode 0600. keys/README.md names
 * every file and what uses it. Exit status 0 ok, 1 failed, 2 usage; `-h`/`--help` prints the usage.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import forge from 'node-forge';

const { pki } = forge;

export interface DevKeyOptions {
  /** Where the files go (created when missing). */
  readonly dir: string;
  /** Remake every file even when it exists. */
  readonly force?: boolean;
  /** How many processor encryption key pairs to keep (processor-enc-1 … -N); two by default. */
  readonly encryptionKeys?: number;
  /** Clock for certificate validity, epoch ms. */
  readonly now?: number;
}

export interface DevKeyReport {
  readonly written: string[];
  readonly kept: string[];
}

/** File names of the set, relative to its directory. */
export const DEV_KEY_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca.key',
  clientCert: 'gateway-client.pem',
  clientKey: 'gateway-client.key',
  serverCert: 'sandbox-server.pem',
  serverKey: 'sandbox-server.key',
  /** Kamailio's SIP over TLS (scripts/lib/stack.sh): its server certificate. */
  sipCert: 'sip-server.pem',
  sipKey: 'sip-server.key',
  /** The audit log's receiver (the rsyslog `up` starts): its TLS server certificate. */
  receiverCert: 'audit-receiver.pem',
  receiverKey: 'audit-receiver.key',
  encryptionCert: (n: number) => `processor-enc-${n}.pem`,
  encryptionKey: (n: number) => `processor-enc-${n}.key`,
  auditKey: 'audit-signing.key',
  auditPublicKey: 'audit-signing.pub.pem',
  /** The audit key a --force replaced: the gateway's next start cross-signs the rotation with it. */
  auditPreviousKey: 'audit-signing-previous.key',
  /**
   * The pinned keyring the served report and `audit verify` trust: each audit public key with the
   * window in which it may sign (src/adapters/audit/audit-keyring.ts).
   */
  auditKeyring: 'audit-keyring.json',
} as const;

const DAY_MS = 86_400_000;

interface Issuer {
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
}

function privateKeyPem(key: forge.pki.rsa.PrivateKey): string {
  return pki.privateKeyInfoToPem(pki.wrapRsaPrivateKey(pki.privateKeyToAsn1(key)));
}

function makeCertificate(options: {
  commonName: string;
  publicKey: forge.pki.rsa.PublicKey;
  issuer: Issuer | 'self';
  signingKey: forge.pki.rsa.PrivateKey;
  days: number;
  now: number;
  extensions: object[];
}): forge.pki.Certificate {
  const cert = pki.createCertificate();
  cert.publicKey = options.publicKey;
  // A positive serial of 128 random bits.
  cert.serialNumber = `01${randomBytes(16).toString('hex')}`;
  cert.validity.notBefore = new Date(options.now - 5 * 60_000);
  cert.validity.notAfter = new Date(options.now + options.days * DAY_MS);
  const subject = [
    { name: 'commonName', value: options.commonName },
    { name: 'organizationName', value: 'tonewall development' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer === 'self' ? subject : options.issuer.cert.subject.attributes);
  cert.setExtensions([...options.extensions, { name: 'subjectKeyIdentifier' }]);
  cert.sign(options.signingKey, forge.md.sha256.create());
  return cert;
}

/** Writes the development key set into `options.dir`; returns the paths written and kept. */
export function generateDevKeys(options: DevKeyOptions): DevKeyReport {
  const { dir } = options;
  const now = options.now ?? Date.now();
  const force = options.force ?? false;
  const encryptionKeys = options.encryptionKeys ?? 2;
  const report: DevKeyReport = { written: [], kept: [] };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // an existing folder too (git checks keys/ out 0755)
  const path = (name: string) => join(dir, name);
  const exists = (...names: string[]) => names.every((name) => existsSync(path(name)));
  const write = (name: string, text: string, secret: boolean) => {
    writeFileSync(path(name), text, { mode: secret ? 0o600 : 0o644 });
    chmodSync(path(name), secret ? 0o600 : 0o644); // mode above applies only to new files
    report.written.push(path(name));
  };
  const keep = (...names: string[]) => report.kept.push(...names.map(path));
  const F = DEV_KEY_FILES;

  // The CA. Remaking it remakes everything it signs.
  let ca: Issuer;
  const remakeCa = force || !exists(F.caCert, F.caKey);
  if (remakeCa) {
    const keys = pki.rsa.generateKeyPair({ bits: 3072 });
    const cert = makeCertificate({
      commonName: 'tonewall development CA',
      publicKey: keys.publicKey,
      issuer: 'self',
      signingKey: keys.privateKey,
      days: 3650,
      now,
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    write(F.caKey, privateKeyPem(keys.privateKey), true);
    write(F.caCert, pki.certificateToPem(cert), false);
    ca = { cert, key: keys.privateKey };
  } else {
    ca = {
      cert: pki.certificateFromPem(readFileSync(path(F.caCert), 'utf8')),
      key: pki.privateKeyFromPem(readFileSync(path(F.caKey), 'utf8')) as forge.pki.rsa.PrivateKey,
    };
    keep(F.caCert, F.caKey);
  }

  const leaf = (certName: string, keyName: string, commonName: string, extensions: object[]) => {
    if (!remakeCa && exists(certName, keyName)) return keep(certName, keyName);
    const keys = pki.rsa.generateKeyPair({ bits: 2048 });
    const cert = makeCertificate({
      commonName,
      publicKey: keys.publicKey,
      issuer: ca,
      signingKey: ca.key,
      days: 825,
      now,
      extensions: [{ name: 'basicConstraints', cA: false, critical: true }, ...extensions],
    });
    write(keyName, privateKeyPem(keys.privateKey), true);
    write(certName, pki.certificateToPem(cert), false);
  };

  leaf(F.clientCert, F.clientKey, 'tonewall gateway (processor client)', [
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  // TLS servers on loopback: the sandbox processor, the audit log's receiver (rsyslog), Kamailio
  const loopbackServer = [
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ];
  leaf(F.serverCert, F.serverKey, 'tonewall sandbox processor', loopbackServer);
  leaf(F.receiverCert, F.receiverKey, 'tonewall audit receiver', loopbackServer);
  leaf(F.sipCert, F.sipKey, 'tonewall SIP (Kamailio TLS)', loopbackServer);
  for (let n = 1; n <= encryptionKeys; n += 1) {
    leaf(F.encryptionCert(n), F.encryptionKey(n), `tonewall sandbox processor encryption key ${n}`, [
      { name: 'keyUsage', keyEncipherment: true, dataEncipherment: true, critical: true },
    ]);
  }

  // The audit signing key: Ed25519 (node:crypto; forge cannot write Ed25519 PEM).
  if (force || !exists(F.auditKey, F.auditPublicKey)) {
    // a log signed with the old key continues only once the old key signs the rotation
    // (TONEWALL_AUDIT_PREVIOUS_KEY): keep it beside the new one rather than lose it
    if (exists(F.auditKey)) {
      write(F.auditPreviousKey, readFileSync(path(F.auditKey), 'utf8'), true);
    }
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    write(F.auditKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), true);
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    write(F.auditPublicKey, publicPem, false);
    write(F.auditKeyring, pinnedKeyring(readKeyring(path(F.auditKeyring)), publicPem, now), false);
  } else {
    keep(F.auditKey, F.auditPublicKey);
    const keyring = readKeyring(path(F.auditKeyring));
    const current = readFileSync(path(F.auditPublicKey), 'utf8');
    // an install from before the keyring: pin the key from when its file was made
    if (!keyring.keys.some((entry) => entry.publicKey === current))
      write(F.auditKeyring, pinnedKeyring(keyring, current, statSync(path(F.auditKey)).mtimeMs), false);
    else keep(F.auditKeyring);
  }
  return report;
}

interface KeyringFile {
  version: 1;
  keys: { publicKey: string; notBefore: string; notAfter?: string }[];
}

function readKeyring(file: string): KeyringFile {
  if (!existsSync(file)) return { version: 1, keys: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as KeyringFile;
}

/** The keyring with `publicKey` pinned from `fromMs`; a key still open-ended before it ends there. */
function pinnedKeyring(keyring: KeyringFile, publicKey: string, fromMs: number): string {
  const from = new Date(fromMs).toISOString();
  const keys = keyring.keys
    .filter((entry) => entry.publicKey !== publicKey)
    .map((entry) => (entry.notAfter === undefined ? { ...entry, notAfter: from } : entry));
  keys.push({ publicKey, notBefore: from });
  return `${JSON.stringify({ version: 1, keys }, null, 2)}\n`;
}

const KEYS_USAGE =
  'usage: keys [--dir DIR] [--force] [--encryption-keys 1-9]\nexit status: 0 ok, 1 failed, 2 usage';

function usageError(message: string): never {
  console.error(`keys: ${message}\n${KEYS_USAGE}`);
  process.exit(2);
}

function parseArguments(argv: string[]): DevKeyOptions {
  const root = process.env.TONEWALL_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let parsed: ReturnType<typeof parseArgs<{ options: typeof KEY_ARGUMENTS }>>;
  try {
    parsed = parseArgs({ args: argv, options: KEY_ARGUMENTS, strict: true });
  } catch (error) {
    usageError((error as Error).message);
  }
  if (parsed.values.help) {
    console.log(KEYS_USAGE);
    process.exit(0);
  }
  const { dir, force, 'encryption-keys': count } = parsed.values;
  if (count !== undefined && !/^[1-9]$/.test(count)) usageError('--encryption-keys is 1-9');
  return {
    dir: dir === undefined ? join(root, 'keys') : resolve(dir),
    force: force ?? false,
    encryptionKeys: count === undefined ? 2 : Number(count),
  };
}

const KEY_ARGUMENTS = {
  dir: { type: 'string' },
  force: { type: 'boolean' },
  'encryption-keys': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const options = parseArguments(process.argv.slice(2));
  const report = generateDevKeys(options);
  for (const file of report.written) console.log(`wrote ${file}`);
  for (const file of report.kept) console.log(`kept  ${file} (exists; --force to remake)`);
  if (report.written.some((file) => file.endsWith(DEV_KEY_FILES.auditPreviousKey))) {
    console.log(
      `the audit signing key is new: start the gateway once with TONEWALL_AUDIT_PREVIOUS_KEY=${DEV_KEY_FILES.auditPreviousKey} ` +
        'so that the old key signs the rotation in the log, then delete that file',
    );
  }
}
