"""ICMP echo over the PPP link, built and parsed with scapy (Debian's python3-scapy)."""
import logging

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.layers.inet import ICMP, IP  # noqa: E402
from scapy.packet import Raw  # noqa: E402


class Pinger:
    """count echo requests from src to dst, interval seconds apart; replies
    count until timeout seconds after the last request went out. Also answers
    echo requests addressed to src, as a host would."""

    def __init__(self, src, dst, count, interval=0.2, timeout=2.0, payload_size=56, ident=0x5050):
        self.src = src
        self.dst = dst
        self.count = count
        self.interval = interval
        self.timeout = timeout
        self.payload_size = payload_size
        self.ident = ident & 0xFFFF
        self.sent = {}          # seq -> time sent
        self.received = {}      # seq -> round-trip seconds
        self.duplicates = 0
        self.strays = 0         # IPv4 that is neither a reply of ours nor an echo to us
        self.bad = 0            # replies with a wrong payload
        self.late = 0           # replies after --timeout
        self.echo_answered = 0
        self.next_at = None
        self.last_sent_at = None

    def begin(self, now):
        self.next_at = now

    def payload(self, seq):
        return bytes((seq + i) & 0xFF for i in range(self.payload_size))

    def due(self, now):
        """The next request's IPv4 bytes if one is due now, else None."""
        if self.next_at is None or len(self.sent) >= self.count or now < self.next_at:
            return None
        seq = len(self.sent) + 1
        pkt = IP(src=self.src, dst=self.dst, id=seq, ttl=64) / \
            ICMP(type=8, code=0, id=self.ident, seq=seq) / Raw(self.payload(seq))
        self.sent[seq] = now
        self.last_sent_at = now
        self.next_at = now + self.interval
        return bytes(pkt)

    def next_deadline(self):
        if self.next_at is not None and len(self.sent) < self.count:
            return self.next_at
        if self.last_sent_at is not None and not self.all_answered():
            return self.last_sent_at + self.timeout
        return None

    def all_answered(self):
        return len(self.received) >= self.count

    def done(self, now):
        if self.count == 0:
            return True
        if len(self.sent) < self.count:
            return False
        return self.all_answered() or now >= self.last_sent_at + self.timeout

    def handle(self, now, data):
        """An IPv4 packet from the link; returns bytes to send back, or None."""
        try:
            ip = IP(data)
        except Exception:  # noqa: BLE001 - scapy raises many kinds
            self.strays += 1
            return None
        if ICMP not in ip or ip.dst != self.src:
            self.strays += 1
            return None
        icmp = ip[ICMP]
        if icmp.type == 0 and icmp.id == self.ident and ip.src == self.dst:
            seq = icmp.seq
            if seq not in self.sent:
                self.strays += 1
            elif seq in self.received:
                self.duplicates += 1
            elif bytes(icmp.payload) != self.payload(seq):
                self.bad += 1
            elif now <= self.sent[seq] + self.timeout:
                self.received[seq] = now - self.sent[seq]
            else:
                self.late += 1
            return None
        if icmp.type == 8:
            self.echo_answered += 1
            reply = IP(src=self.src, dst=ip.src, ttl=64) / \
                ICMP(type=0, code=0, id=icmp.id, seq=icmp.seq) / Raw(bytes(icmp.payload))
            return bytes(reply)
        self.strays += 1
        return None

    def summary(self):
        rtts = sorted(self.received.values())
        return {
            "pings_sent": len(self.sent),
            "pings_received": len(self.received),
            "ping_duplicates": self.duplicates,
            "ping_bad_payload": self.bad,
            "ping_late": self.late,
            "ip_strays": self.strays,
            "echo_requests_answered": self.echo_answered,
            "rtt_ms": {"min": round(rtts[0] * 1000, 3), "max": round(rtts[-1] * 1000, 3)}
            if rtts else None,
        }
