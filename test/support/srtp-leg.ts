/**
 * What an SDES SRTP leg carried to a SIPp at its far end (the PBX on TONEWALL_PBX_SRTP=sdes, the
 * carrier on TONEWALL_CARRIER_SRTP=sdes): the sink's packets decrypted with the key of rtpengine's
 * own offer, as that SIPp received it (its message trace), then read as PCMU and RFC 4733.
 */
import { readFileSync } from 'node:fs';
import { analyseRtpDtmf, type RtpRecord, telephoneEventsOf } from './media/rtp-analysis.js';
import { decryptSrtpRecords, sdesMasterKey } from './media/srtp.js';

export interface SrtpLegReport {
  /** PCMU packets (payload type 0). */
  readonly audioPackets: number;
  /** Share of the decrypted PCMU bytes that are silence (0xff, 0x7f): noise when the key is wrong. */
  readonly silenceShare: number;
  /** The digits of the decrypted RFC 4733 events, each event once. */
  readonly digits: string;
  /** ms of DTMF tone in the decrypted PCMU. */
  readonly toneMs: number;
}

/** The first INVITE a SIPp received, from its message trace (`traceMessages`). */
export function receivedInvite(messageFile: string | undefined): string {
  const invite = readFileSync(messageFile ?? '', 'utf8')
    .split(/^-{20,}.*$/m)
    .find((block) => /message received/.test(block) && /^INVITE /m.test(block));
  if (!invite) throw new Error(`no INVITE received in ${messageFile}`);
  return invite;
}

/** Decrypts `records` with the AES_CM_128_HMAC_SHA1_80 key of `offerSdp` and reads what they carry. */
export function srtpLegReport(records: readonly RtpRecord[], offerSdp: string): SrtpLegReport {
  const decrypted = decryptSrtpRecords(records, sdesMasterKey(offerSdp));
  const audio = decrypted.filter((record) => record.packet.payloadType === 0);
  const bytes = Buffer.concat(audio.map((record) => Buffer.from(record.packet.payload)));
  const silent = bytes.filter((byte) => byte === 0xff || byte === 0x7f).length;
  const digits = telephoneEventsOf(decrypted)
    .map((event) => event.digit)
    .filter((digit) => digit !== null)
    .join('');
  return {
    audioPackets: audio.length,
    silenceShare: silent / Math.max(1, bytes.length),
    digits,
    toneMs: analyseRtpDtmf(decrypted).toneMs,
  };
}
