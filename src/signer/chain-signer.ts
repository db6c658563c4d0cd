import { createPublicKey, type KeyObject, sign } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import {
  type AuditRecord,
  GENESIS_HASH,
  recordText,
  signingInput,
  type UnsignedAuditRecord,
} from '../domain/audit/audit-record.js';
import { rotationStatement } from '../domain/audit/key-rotation.js';
import {
  afterConfirming,
  afterSigning,
  EMPTY_GUARD,
  mayExtend,
  mayHead,
  type SigningGuardState,
} from '../domain/audit/signing-guard.js';
import { sha256Hex } from '../domain/sha256.js';
import { GatewayError } from '../errors.js';

const ROTATION_PREFIX = 'tonewall audit key rotation\n';

/** A signing key with its id. */
export interface SignerKey {
  readonly privateKey: KeyObject;
  readonly kid: string;
  readonly publicKeyPem: string;
}

/** The key and its id: the RFC 7638 thumbprint of its public key, as the gateway's AuditSigner derives it. */
export async function signerKey(privateKey: KeyObject): Promise<SignerKey> {
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    kid: await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256'),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const signEd25519 = (privateKey: KeyObject, input: string): string =>
  sign(null, Buffer.from(input, 'utf8'), privateKey).toString('base64url');

const refused = (reason: string) => new GatewayError('GW_ERR_AUDIT_SIGNER', `refused to sign: ${reason}`);

/**
 * The signer's side of the audit chain: signs records that extend its chain (domain/audit/
 * signing-guard.ts), the head of the confirmed record, and the endorsement of a rotation from its
 * previous key to its own; refuses anything else (GW_ERR_AUDIT_SIGNER). Its state is a file only it
 * writes, replaced atomically; synced at each confirmation.
 */
export class ChainSigner {
  readonly #key: SignerKey;
  readonly #previous: SignerKey | undefined;
  readonly #stateFile: string;
  #state: SigningGuardState;

  private constructor(
    key: SignerKey,
    previous: SignerKey | undefined,
    stateFile: string,
    state: SigningGuardState,
  ) {
    this.#key = key;
    this.#previous = previous;
    this.#stateFile = stateFile;
    this.#state = state;
  }

  static async open(options: {
    readonly key: SignerKey;
    readonly previous?: SignerKey | undefined;
    readonly stateFile: string;
  }): Promise<ChainSigner> {
    return new ChainSigner(
      options.key,
      options.previous,
      options.stateFile,
      await readState(options.stateFile),
    );
  }

  get kid(): string {
    return this.#key.kid;
  }

  /** The key this one replaced, when the signer was given it (it endorses the rotation to this key). */
  get previousKid(): string | undefined {
    return this.#previous?.kid;
  }

  get publicKeyPem(): string {
    return this.#key.publicKeyPem;
  }

  /** The last record confirmed durable (for the log). */
  get durableSeq(): number | undefined {
    return this.#state.durable?.seq;
  }

  async sign(input: string): Promise<string> {
    if (input.startsWith(ROTATION_PREFIX)) return this.#endorse(input);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(input) as Record<string, unknown>;
    } catch {
      throw refused('the input is neither a record, a head nor a rotation');
    }
    if (parsed.type === 'audit.head') {
      const verdict = mayHead(this.#state, Number(parsed.seq), String(parsed.hash));
      if (!verdict.ok) throw refused(verdict.reason);
      return signEd25519(this.#key.privateKey, input);
    }
    const unsigned = parsed as unknown as UnsignedAuditRecord;
    if (
      typeof unsigned.seq !== 'number' ||
      typeof unsigned.prev !== 'string' ||
      unsigned.kid !== this.#key.kid ||
      signingInput(unsigned) !== input
    ) {
      throw refused('not the canonical text of a record under this key');
    }
    const verdict = mayExtend(this.#state, unsigned.seq, unsigned.prev, GENESIS_HASH);
    if (!verdict.ok) throw refused(verdict.reason);
    const sig = signEd25519(this.#key.privateKey, input);
    const record: AuditRecord = { ...unsigned, sig };
    this.#state = afterSigning(this.#state, unsigned.seq, sha256Hex(recordText(record)));
    await writeState(this.#stateFile, this.#state, false);
    return sig;
  }

  /** The gateway has record `seq` (hash `hash`) on disk: nothing before it may be signed again. */
  async confirm(seq: number, hash: string): Promise<void> {
    const { state, verdict } = afterConfirming(this.#state, seq, hash);
    if (!verdict.ok) throw refused(verdict.reason);
    this.#state = state;
    await writeState(this.#stateFile, this.#state, true);
  }

  #endorse(input: string): string {
    const previous = this.#previous;
    if (!previous || input !== rotationStatement(previous.kid, this.#key.kid)) {
      throw refused("a rotation other than from this signer's previous key to its key");
    }
    return signEd25519(previous.privateKey, input);
  }
}

interface StateFile {
  readonly v: 1;
  readonly durable: { seq: number; hash: string } | null;
  readonly signed: ReadonlyArray<readonly [number, readonly string[]]>;
}

async function readState(file: string): Promise<SigningGuardState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_GUARD;
    throw new GatewayError('GW_ERR_AUDIT_SIGNER', 'signer state file cannot be read', { cause: error });
  }
  try {
    const state = JSON.parse(text) as StateFile;
    if (state.v !== 1 || !Array.isArray(state.signed)) throw new Error('not a signer state');
    return {
      durable: state.durable ?? undefined,
      signed: new Map(state.signed.map(([n, h]) => [n, [...h]])),
    };
  } catch (error) {
    // never start from nothing when a state was there: that would trust any chain again
    throw new GatewayError('GW_ERR_AUDIT_SIGNER', 'signer state file is damaged', { cause: error });
  }
}

async function writeState(file: string, state: SigningGuardState, sync: boolean): Promise<void> {
  const body: StateFile = { v: 1, durable: state.durable ?? null, signed: [...state.signed] };
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(body)}\n`, 'utf8');
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}
