"""IPCP option policy of the client (RFC 1332, RFC 1877 DNS/NBNS)."""
from . import frame as F
from .fsm import CpHandler

OPT_ADDRESSES, OPT_COMP, OPT_ADDRESS = 1, 2, 3
OPT_DNS1, OPT_NBNS1, OPT_DNS2, OPT_NBNS2 = 129, 130, 131, 132
ZERO = b"\x00\x00\x00\x00"


class IpcpHandler(CpHandler):
    def __init__(self, client):
        self.c = client
        cfg = client.cfg
        self.want = {OPT_ADDRESS: F.ip_bytes(cfg.request_ip)}
        if cfg.ask_dns:
            self.want[OPT_DNS1] = ZERO
            self.want[OPT_DNS2] = ZERO
        self.acked = {}
        self.peer_address = None
        self._pending = None
        self.naked_ours = set()

    def request_options(self):
        order = (OPT_ADDRESS, OPT_DNS1, OPT_DNS2)
        return [(t, self.want[t]) for t in order if t in self.want]

    def got_ack(self, opts):
        self.acked = dict(opts)

    def got_nak(self, opts):
        for t, v in opts:
            if t in (OPT_ADDRESS, OPT_DNS1, OPT_DNS2) and len(v) == 4:
                if t not in self.want:
                    if t == OPT_ADDRESS:  # RFC 1332 3.3: the peer wants us to ask for one
                        self.want[t] = v
                    else:
                        self.c.note("IPCP: Nak offers option %d we did not ask for" % t)
                    continue
                if v == ZERO:
                    self.c.error("IPCP: Configure-Nak suggests 0.0.0.0 for option %d" % t)
                    continue
                self.want[t] = v
                self.naked_ours.add(t)
            else:
                self.c.note("IPCP: Nak of option %d (%s) ignored" % (t, v.hex()))
        return True

    def got_reject(self, opts):
        for t, _ in opts:
            if t == OPT_ADDRESS:
                self.c.error("IPCP: peer rejected IP-Address: we cannot get an address")
            self.want.pop(t, None)
        return True

    def judge_request(self, opts):
        rej = []
        addr = None
        for t, v in opts:
            if t == OPT_ADDRESS and len(v) == 4 and v != ZERO:
                addr = v
            else:  # 0.0.0.0 (we have no address for it), VJ, DNS/NBNS, IP-Addresses, ...
                rej.append((t, v))
        self._pending = addr
        if rej:
            return F.CONF_REJ, rej
        return F.CONF_ACK, []

    def commit_request(self):
        self.peer_address = self._pending

    def layer_up(self):
        self.c._ipcp_up()

    def layer_down(self):
        self.c._ipcp_down()

    def layer_finished(self):
        self.c._ipcp_finished()

    def terminate_requested(self, pkt):
        self.c._peer_terminate("IPCP", pkt.data)
