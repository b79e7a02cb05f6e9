/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Decode a captured frame with the project's codecs into the same fields,
 * named and formatted as tshark prints them with `-T fields -E occurrence=a
 * -E aggregator=,`, so that the two decodes can be compared line by line.
 */
#ifndef DPPTP_TEST_FIELDS_H
#define DPPTP_TEST_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#define TSHARK_FIELDS(X)                                                                   \
	X("pptp.length") X("pptp.type") X("pptp.magic_cookie")                              \
	X("pptp.control_message_type") X("pptp.protocol_version") X("pptp.control_result")  \
	X("pptp.error") X("pptp.reason") X("pptp.stop_result") X("pptp.identifier")         \
	X("pptp.echo_result") X("pptp.framing_capabilities") X("pptp.bearer_capabilities")  \
	X("pptp.maximum_channels") X("pptp.firmware_revision") X("pptp.host_name")          \
	X("pptp.vendor_name") X("pptp.call_id") X("pptp.peer_call_id")                      \
	X("pptp.call_serial_number") X("pptp.minimum_bps") X("pptp.maximum_bps")            \
	X("pptp.bearer_type") X("pptp.framing_type") X("pptp.packet_receive_window_size")   \
	X("pptp.packet_processing_delay") X("pptp.phone_number_length")                     \
	X("pptp.phone_number") X("pptp.subaddress") X("pptp.out_result") X("pptp.cause")    \
	X("pptp.connect_speed") X("pptp.physical_channel_id")                               \
	X("pptp.dialed_number_length") X("pptp.dialing_number_length")                      \
	X("pptp.dialed_number") X("pptp.dialing_number") X("pptp.in_result")                \
	X("pptp.disc_result") X("pptp.call_Statistics") X("pptp.crc_errors")                \
	X("pptp.framing_errors") X("pptp.hardware_overruns") X("pptp.buffer_overruns")      \
	X("pptp.timeout_errors") X("pptp.alignment_errors") X("pptp.send_accm")             \
	X("pptp.receive_accm")                                                              \
	X("gre.flags_and_version") X("gre.flags.checksum") X("gre.flags.routing")           \
	X("gre.flags.key") X("gre.flags.sequence_number") X("gre.flags.strict_source_route")\
	X("gre.flags.recursion_control") X("gre.flags.ack") X("gre.flags.reserved")         \
	X("gre.flags.version") X("gre.proto") X("gre.key.payload_length")                   \
	X("gre.key.call_id") X("gre.sequence_number") X("gre.ack_number")                   \
	X("ppp.address") X("ppp.control") X("ppp.protocol")                                 \
	X("ppp.code") X("ppp.identifier") X("ppp.length")                                   \
	X("lcp.opt.type") X("lcp.opt.length") X("lcp.opt.mru") X("lcp.opt.asyncmap")        \
	X("lcp.opt.auth_protocol") X("lcp.opt.algorithm") X("lcp.opt.magic_number")         \
	X("lcp.magic_number") X("lcp.message") X("lcp.secs_remaining") X("lcp.rej_proto")   \
	X("ipcp.opt.type") X("ipcp.opt.length") X("ipcp.opt.ip_address")                    \
	X("ipcp.opt.pri_dns_address") X("ipcp.opt.sec_dns_address")                         \
	X("ipcp.opt.pri_nbns_address") X("ipcp.opt.sec_nbns_address")                       \
	X("ipcp.opt.compress_proto")                                                        \
	X("ccp.opt.type") X("ccp.opt.length") X("ccp.opt.supported_bits")                   \
	X("pap.code") X("pap.identifier") X("pap.length") X("pap.peer_id.length")           \
	X("pap.peer_id") X("pap.password.length") X("pap.password")                         \
	X("pap.message.length") X("pap.message")                                            \
	X("chap.code") X("chap.identifier") X("chap.length") X("chap.value_size")           \
	X("chap.value") X("chap.name") X("chap.message")

#define FIELD_COUNT_(name) +1
enum { FIELD_COUNT = 0 TSHARK_FIELDS(FIELD_COUNT_) };
#undef FIELD_COUNT_

extern const char *const field_names[FIELD_COUNT];

struct field_set {
	char v[FIELD_COUNT][512];
	int errors; /* codec errors met while decoding */
	unsigned int pptp_types_seen; /* bit per control message type */
	unsigned int gre_packets;
	uint32_t ip_src;   /* host order; 0 when the frame is not IPv4 */
	uint16_t tcp_sport; /* 0 when not TCP */
};

/* Decode one Ethernet frame into `fs` (cleared first). */
void fields_decode_frame(const uint8_t *frame, size_t len, struct field_set *fs);

/* Write the fields as one line, separated by '|', without a newline. */
void fields_format(const struct field_set *fs, char *out, size_t cap);

#endif /* DPPTP_TEST_FIELDS_H */
