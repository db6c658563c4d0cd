/**
 * The linphonerc linphone-daemon runs with (linphone-phone.ts): SIP and RTP on the phone's loopback
 * address and ports, the microphone and speaker as RTP on loopback ports (`rtp_io`), no video,
 * RFC 4733 events or in-band tones.
 */
export function linphonerc(o: {
  address: string;
  sipPort: number;
  rtpPort: number;
  micPort: number;
  speakerPort: number;
  rfc4733: boolean;
}): string {
  return `[sip]
sip_port=${o.sipPort}
sip_tcp_port=0
sip_tls_port=0
bind_address=${o.address}
contact=sip:customer@${o.address}
use_rfc2833=${o.rfc4733 ? 1 : 0}
use_info=0
guess_hostname=0
register_only_when_network_is_up=0
auto_net_state_mon=0
use_ipv6=0
media_encryption=none

[rtp]
audio_rtp_port=${o.rtpPort}
audio_jitt_comp=60

[net]
enable_ipv6=0

[sound]
echocancellation=0
rtp_io=1
rtp_local_addr=${o.address}
rtp_local_port=${o.micPort}
rtp_remote_addr=${o.address}
rtp_remote_port=${o.speakerPort}

[video]
enabled=0
capture=0
display=0
automatically_initiate=0
automatically_accept=0

[misc]
telephone_event_pt=101
`;
}
