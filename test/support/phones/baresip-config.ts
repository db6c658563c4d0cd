/** baresip's `config` file as the suite's baresips share it (baresip-phone.ts, baresip-answerer.ts). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePhonePorts, tcpPortFree } from './phone-ports.js';

export const MODULE_PATH = '/usr/lib/baresip/modules';

export interface BaresipConfigOptions {
  /** SIP and media address. */
  address: string;
  sipPort: number;
  transport: 'udp' | 'tls';
  /** The first of two RTP ports (RTP and RTCP). */
  rtpPort: number;
  /** The WAV its microphone (aufile) plays. */
  micFile: string;
  /** Its ctrl_tcp port on 127.0.0.1. */
  ctrlPort: number;
  /** Lines before account.so (modules an account names, such as its media encryption). */
  modules: readonly string[];
  /** Lines at the end. */
  extra?: readonly string[];
}

/** No sound card: the microphone is aufile, the speaker and the alert device aubridge; PCMU only. */
export function baresipConfig(options: BaresipConfigOptions): string {
  return [
    'poll_method epoll',
    `sip_listen ${options.address}:${options.sipPort}`,
    `sip_trans_def ${options.transport}`,
    `net_interface ${options.address}`,
    `rtp_ports ${options.rtpPort}-${options.rtpPort + 1}`,
    'audio_player aubridge,speaker',
    'audio_alert aubridge,alert',
    `audio_source aufile,${options.micFile}`,
    'audio_srate 8000',
    'audio_channels 1',
    `module_path ${MODULE_PATH}`,
    'module g711.so',
    'module aufile.so',
    'module aubridge.so',
    ...options.modules,
    'module account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${options.ctrlPort}`,
    ...(options.extra ?? []),
    '',
  ].join('\n');
}

/** Picks a free ctrl_tcp port and writes `<dir>/config`; resolves with the ctrl_tcp port. */
export async function writeBaresipConfig(
  dir: string,
  options: Omit<BaresipConfigOptions, 'ctrlPort'>,
): Promise<number> {
  let ctrlPort = freePhonePorts(1);
  while (!(await tcpPortFree('127.0.0.1', ctrlPort))) ctrlPort = freePhonePorts(1);
  writeFileSync(join(dir, 'config'), baresipConfig({ ...options, ctrlPort }));
  return ctrlPort;
}
