/**
 * The audit store's thread (started by AuditStoreThread; not imported by the main thread). It owns
 * the AuditFileStore: the segment files, the chain, the signing, the group commit and the signed
 * head. The main thread hands it entries, in call order, each with the time it was appended; the
 * store signs and chains them in that order and acknowledges them once synced: one `synced` message
 * per group commit, not one per record. It imports no zod, pino or JOSE library (the main thread
 * read the old log's end and derived the key id), and logs nothing: its failures go to the main
 * thread, which logs them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AuditFileStore } from './audit-file-store.js';
import { keySigner, type RecordSigner } from './audit-record-signer.js';
import {
  type AuditThreadReply,
  type AuditThreadRequest,
  type AuditThreadSettings,
  toThreadError,
} from './audit-thread-protocol.js';
import { RemoteSigner } from './remote-signer.js';

const settings = workerData as AuditThreadSettings;
const port = parentPort;
if (port === null) throw new Error('audit-store-worker runs as a worker thread');

const post = (reply: AuditThreadReply) => port.postMessage(reply);

/**
 * The store's clock: the main thread's time of the request being handled. The store reads it once
 * per record, as it chains it, so a record's `at` is when `append` was called on the main thread;
 * the head's `at` is the time of the last request handled before it was written.
 */
const clock = {
  at: settings.openedAt,
  now(): number {
    return clock.at;
  },
  /** The thread's own monotonic time (a thread cannot be handed the main thread's clock). */
  monotonic: () => performance.now(),
};

/** Takes requests once the log is open. */
const serve = (store: AuditFileStore): void => {
  /** The last request synced but not yet acknowledged. */
  let synced: { through: number; seq: number } | undefined;
  let failed = false;

  /** Acknowledges the records synced so far (a microtask after the store resolved its batch). */
  const postSynced = () => {
    if (synced === undefined) return;
    post({ type: 'synced', ...synced });
    synced = undefined;
  };

  const follow = (id: number, written: Promise<{ readonly seq: number }>) => {
    written.then(
      (record) => {
        if (synced === undefined) queueMicrotask(postSynced);
        synced = { through: id, seq: record.seq };
      },
      (error: unknown) => {
        if (store.failure === undefined) {
          post({ type: 'refused', id, error: toThreadError(error) });
        } else if (!failed) {
          failed = true;
          postSynced();
          post({ type: 'failed', error: toThreadError(store.failure) });
        }
      },
    );
  };

  const answer = (id: number, done: Promise<void>) => {
    done.then(
      () => {
        postSynced();
        post({ type: 'done', id });
      },
      (error: unknown) => {
        postSynced();
        post({ type: 'done', id, error: toThreadError(error) });
      },
    );
  };

  const handle = (request: AuditThreadRequest) => {
    switch (request.type) {
      case 'append':
        clock.at = request.at;
        follow(request.id, store.append(request.entry));
        return;
      case 'rotate':
        clock.at = request.at;
        follow(request.id, store.rotateKey(keySigner(request.key)));
        return;
      case 'durable':
        answer(request.id, store.durable());
        return;
      case 'close':
        clock.at = request.at;
        answer(request.id, store.close(request.reason));
        return;
      default:
        // a bug of the main thread: ending the thread fails the log (fail-closed)
        throw new Error('audit thread got a request it does not know');
    }
  };

  port.on('message', (requests: readonly AuditThreadRequest[]) => {
    for (const request of requests) handle(request);
  });
  post({ type: 'opened', seq: store.head?.seq ?? 0 });
};

/** The key posted to the thread, or the signer process (its socket; the key never comes here). */
async function recordSigners(): Promise<{ signer: RecordSigner; previous: RecordSigner | undefined }> {
  if (settings.signerSocket !== undefined) {
    const remote = await RemoteSigner.open(settings.signerSocket);
    return { signer: remote, previous: remote.previous };
  }
  if (settings.key === undefined) throw new Error('audit thread has neither a key nor a signer');
  return {
    signer: keySigner(settings.key),
    previous: settings.previousKey ? keySigner(settings.previousKey) : undefined,
  };
}

recordSigners()
  .then(({ signer, previous }) =>
    AuditFileStore.start(
      {
        directory: settings.directory,
        signer,
        ...(previous ? { previousSigner: previous } : {}),
        maxFileBytes: settings.maxFileBytes,
        clock,
      },
      settings.resumption,
    ),
  )
  .then(serve, (error: unknown) => {
    // the main thread's open rejects with this, and ends the thread
    post({ type: 'failed', error: toThreadError(error) });
  });
