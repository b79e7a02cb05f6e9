"""The RFC 1661 section 4 option negotiation automaton, driven by the state
transition table copied from the RFC (section 4.1), shared by LCP, IPCP, CCP.

Actions: tlu tld tls tlf (this-layer up/down/started/finished), irc (initialise
the restart counter), zrc (zero it), scr sca scn str sta scj ser (send
Configure-Request/-Ack/-Nak-or-Reject, Terminate-Request/-Ack, Code-Reject,
Echo-Reply). The r/x/p suffixes of the RFC's table are left out: we implement
no restart or passive option. "-" cells are events that cannot happen in that
state; they are ignored.
"""
from . import frame as F

INITIAL, STARTING, CLOSED, STOPPED, CLOSING, STOPPING, REQSENT, ACKRCVD, ACKSENT, OPENED = range(10)
STATE_NAMES = ["Initial", "Starting", "Closed", "Stopped", "Closing", "Stopping",
               "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened"]

#           Initial  Starting     Closed   Stopped          Closing  Stopping  Req-Sent     Ack-Rcvd     Ack-Sent     Opened
TABLE = {
    "Up":    ["2",     "irc,scr/6", "-",     "-",             "-",     "-",      "-",         "-",         "-",         "-"],
    "Down":  ["-",     "-",         "0",     "tls/1",         "0",     "1",      "1",         "1",         "1",         "tld/1"],
    "Open":  ["tls/1", "1",         "irc,scr/6", "3",         "5",     "5",      "6",         "7",         "8",         "9"],
    "Close": ["0",     "tlf/0",     "2",     "2",             "4",     "4",      "irc,str/4", "irc,str/4", "irc,str/4", "tld,irc,str/4"],
    "TO+":   ["-",     "-",         "-",     "-",             "str/4", "str/5",  "scr/6",     "scr/6",     "scr/8",     "-"],
    "TO-":   ["-",     "-",         "-",     "-",             "tlf/2", "tlf/3",  "tlf/3",     "tlf/3",     "tlf/3",     "-"],
    "RCR+":  ["-",     "-",         "sta/2", "irc,scr,sca/8", "4",     "5",      "sca/8",     "sca,tlu/9", "sca/8",     "tld,scr,sca/8"],
    "RCR-":  ["-",     "-",         "sta/2", "irc,scr,scn/6", "4",     "5",      "scn/6",     "scn/7",     "scn/6",     "tld,scr,scn/6"],
    "RCA":   ["-",     "-",         "sta/2", "sta/3",         "4",     "5",      "irc/7",     "scr/6",     "irc,tlu/9", "tld,scr/6"],
    "RCN":   ["-",     "-",         "sta/2", "sta/3",         "4",     "5",      "irc,scr/6", "scr/6",     "irc,scr/8", "tld,scr/6"],
    "RTR":   ["-",     "-",         "sta/2", "sta/3",         "sta/4", "sta/5",  "sta/6",     "sta/6",     "sta/6",     "tld,zrc,sta/5"],
    "RTA":   ["-",     "-",         "2",     "3",             "tlf/2", "tlf/3",  "6",         "6",         "8",         "tld,scr/6"],
    "RUC":   ["-",     "-",         "scj/2", "scj/3",         "scj/4", "scj/5",  "scj/6",     "scj/7",     "scj/8",     "scj/9"],
    "RXJ+":  ["-",     "-",         "2",     "3",             "4",     "5",      "6",         "6",         "8",         "9"],
    "RXJ-":  ["-",     "-",         "tlf/2", "tlf/3",         "tlf/2", "tlf/3",  "tlf/3",     "tlf/3",     "tlf/3",     "tld,irc,str/5"],
    "RXR":   ["-",     "-",         "2",     "3",             "4",     "5",      "6",         "7",         "8",         "ser/9"],
}

TIMER_STATES = (CLOSING, STOPPING, REQSENT, ACKRCVD, ACKSENT)


class CpHandler:
    """A control protocol's option policy. Override what the protocol needs."""

    def request_options(self):
        """[(type, value)] for our next Configure-Request."""
        return []

    def judge_request(self, opts):
        """The peer's Configure-Request: return (code, reply_options) with code
        CONF_ACK (reply ignored: the request is echoed), CONF_NAK or CONF_REJ.
        Values the peer asks for are only to be kept by commit_request()."""
        if opts:
            return F.CONF_REJ, opts
        return F.CONF_ACK, []

    def commit_request(self):
        """The request just judged is being acknowledged."""

    def got_ack(self, opts):
        pass

    def got_nak(self, opts):
        """Adjust what we ask for. Return False if we give up."""
        return True

    def got_reject(self, opts):
        """Stop asking for these. Return False if we cannot do without one."""
        return True

    def layer_up(self):
        pass

    def layer_down(self):
        pass

    def layer_started(self):
        pass

    def layer_finished(self):
        pass

    def terminate_requested(self, pkt):
        """The peer sent Terminate-Request (before the automaton acts on it)."""

    def extended_code(self, pkt):
        """Codes above 7: return True if handled, False for a Code-Reject."""
        return False


class Fsm:
    def __init__(self, name, proto, handler, output, log, restart=3.0, max_configure=10,
                 max_terminate=2, max_failure=5, max_naks_received=10):
        self.name = name
        self.proto = proto
        self.h = handler
        handler.fsm = self
        self.output = output          # output(proto, CpPacket)
        self.log = log                # log(text)
        self.restart = restart
        self.max_configure = max_configure
        self.max_terminate = max_terminate
        self.max_failure = max_failure
        self.max_naks_received = max_naks_received
        self.state = INITIAL
        self.counter = 0
        self.deadline = None
        self.next_id = 1
        self.req_id = None            # Identifier of our outstanding Configure-Request
        self.req_opts = []
        self.reply_seen = True        # a reply to req_id was already accepted
        self.naks_sent = 0
        self.naks_received = 0
        self.pending = None           # the reply to the request being judged
        self.now = 0.0
        self.term_reason = b""
        self.bad_replies = 0
        self.failure = None           # why the layer finished, if it did not end cleanly
        self.term_acked = False       # a Terminate-Ack answered our Terminate-Request

    # --- helpers ---------------------------------------------------------
    def _new_id(self):
        ident = self.next_id
        self.next_id = (self.next_id + 1) & 0xFF
        return ident

    def _send(self, code, ident, data=b""):
        self.output(self.proto, F.CpPacket(code, ident, data))

    def _set_state(self, new):
        if new != self.state:
            self.log("%s %s -> %s" % (self.name, STATE_NAMES[self.state], STATE_NAMES[new]))
        self.state = new
        if new not in TIMER_STATES:
            self.deadline = None

    def _event(self, event, packet=None):
        cell = TABLE[event][self.state]
        if cell == "-":
            self.log("%s: event %s ignored in %s" % (self.name, event, STATE_NAMES[self.state]))
            return
        acts, _, new = cell.rpartition("/")
        actions = acts.split(",") if acts else []
        for a in actions:
            if a == "irc":
                self.counter = self.max_terminate if "str" in actions else self.max_configure
            elif a == "zrc":
                self.counter = 0
                self.deadline = self.now + self.restart
            elif a == "scr":
                self._scr(retransmit=(event == "TO+"))
            elif a == "sca":
                self._send(F.CONF_ACK, packet.ident, packet.data)
            elif a == "scn":
                code, opts = self.pending
                self._send(code, packet.ident, F.encode_options(opts))
            elif a == "str":
                self._send(F.TERM_REQ, self._new_id(), self.term_reason)
                self.counter -= 1
                self.deadline = self.now + self.restart
            elif a == "sta":
                self._send(F.TERM_ACK, packet.ident if packet else self._new_id())
            elif a == "scj":
                self._send(F.CODE_REJ, self._new_id(), packet.encode())
            elif a == "ser":
                pass  # Echo-Reply is the handler's (LCP) job
            elif a == "tlu":
                self.naks_sent = 0
                self.naks_received = 0
            elif a in ("tld", "tls", "tlf"):
                pass
            else:
                raise AssertionError(a)
        # state first, then the layer callbacks, which may drive other layers
        self._set_state(int(new))
        for a in actions:
            if a == "tlu":
                self.h.layer_up()
            elif a == "tld":
                self.h.layer_down()
            elif a == "tls":
                self.h.layer_started()
            elif a == "tlf":
                self.h.layer_finished()

    def _scr(self, retransmit):
        if not retransmit or self.req_id is None:
            self.req_opts = list(self.h.request_options())
            self.req_id = self._new_id()
            self.reply_seen = False
        self._send(F.CONF_REQ, self.req_id, F.encode_options(self.req_opts))
        self.counter -= 1
        self.deadline = self.now + self.restart

    # --- the administrative and lower-layer events --------------------------
    def up(self, now):
        self.now = now
        self._event("Up")

    def down(self, now):
        self.now = now
        self._event("Down")

    def open(self, now):
        self.now = now
        self._event("Open")

    def close(self, now, reason=b""):
        self.now = now
        self.term_reason = reason.encode() if isinstance(reason, str) else bytes(reason)
        self._event("Close")

    def fail(self, now, why):
        """Give up on this layer (the peer will not converge)."""
        if self.failure is None:
            self.failure = why
        self.close(now, why)

    def tick(self, now):
        self.now = now
        if self.deadline is not None and now >= self.deadline:
            self.deadline = None
            if self.counter > 0:
                self._event("TO+")
            else:
                if self.failure is None:
                    if self.state in (REQSENT, ACKRCVD, ACKSENT):
                        self.failure = "%s: no answer to %d Configure-Requests" % (
                            self.name, self.max_configure)
                    elif self.state == CLOSING:
                        self.failure = "%s: no Terminate-Ack to %d Terminate-Requests" % (
                            self.name, self.max_terminate)
                self._event("TO-")

    @property
    def opened(self):
        return self.state == OPENED

    # --- received packets ---------------------------------------------------
    def input(self, now, pkt):
        self.now = now
        if self.state in (INITIAL, STARTING):
            self.log("%s: %s discarded in %s" % (self.name, F.CODE_NAMES.get(pkt.code, pkt.code),
                                                  STATE_NAMES[self.state]))
            return
        code = pkt.code
        if code == F.CONF_REQ:
            self._rcv_conf_req(pkt)
        elif code in (F.CONF_ACK, F.CONF_NAK, F.CONF_REJ):
            self._rcv_conf_reply(pkt)
        elif code == F.TERM_REQ:
            self.h.terminate_requested(pkt)
            self._event("RTR", pkt)
        elif code == F.TERM_ACK:
            if self.state in (CLOSING, STOPPING):
                self.term_acked = True
            self._event("RTA", pkt)
        elif code == F.CODE_REJ:
            rejected = pkt.data[0] if pkt.data else 0
            self.log("%s: peer Code-Rejected code %d" % (self.name, rejected))
            self._event("RXJ-" if 1 <= rejected <= 7 else "RXJ+", pkt)
        elif not self.h.extended_code(pkt):
            self._event("RUC", pkt)

    def _rcv_conf_req(self, pkt):
        try:
            opts = F.parse_options(pkt.data)
        except F.FrameError as e:
            self.bad_replies += 1
            self.log("%s: Configure-Request dropped: %s" % (self.name, e))
            return
        if self.state in (CLOSED, CLOSING, STOPPING):
            self._event("RCR+", pkt)  # the verdict does not matter in these states
            return
        code, reply = self.h.judge_request(opts)
        if code == F.CONF_NAK:
            if self.naks_sent >= self.max_failure:
                # RFC 1661 4.6 Max-Failure: Reject (the options as received) instead
                naked = {t for t, _ in reply}
                code, reply = F.CONF_REJ, [o for o in opts if o[0] in naked]
                self.log("%s: Max-Failure reached, rejecting instead of Nak" % self.name)
            else:
                self.naks_sent += 1
        if code == F.CONF_ACK:
            self.h.commit_request()
            self._event("RCR+", pkt)
        else:
            self.pending = (code, reply)
            self._event("RCR-", pkt)

    def _rcv_conf_reply(self, pkt):
        what = F.CODE_NAMES[pkt.code]
        if pkt.ident != self.req_id or self.reply_seen:
            self.bad_replies += 1
            self.log("%s: %s id %d does not answer our request (id %s)%s" % (
                self.name, what, pkt.ident, self.req_id, ", already answered" if
                pkt.ident == self.req_id else ""))
            return
        if self.state in (CLOSED, STOPPED, CLOSING, STOPPING):
            self._event("RCA" if pkt.code == F.CONF_ACK else "RCN", pkt)
            return
        try:
            opts = F.parse_options(pkt.data)
        except F.FrameError as e:
            self.bad_replies += 1
            self.log("%s: %s dropped: %s" % (self.name, what, e))
            return
        sent = F.encode_options(self.req_opts)
        if pkt.code == F.CONF_ACK:
            if pkt.data != sent:  # RFC 1661 5.2: must repeat our options exactly
                self.bad_replies += 1
                self.log("%s: Configure-Ack %s differs from our request %s" % (
                    self.name, pkt.data.hex(), sent.hex()))
                return
            self.reply_seen = True
            self.h.got_ack(opts)
            self._event("RCA", pkt)
            return
        if pkt.code == F.CONF_REJ:
            # RFC 1661 5.4: only options we sent, unchanged, in our order
            remaining = list(self.req_opts)
            for o in opts:
                if o in remaining:
                    remaining = remaining[remaining.index(o) + 1:]
                else:
                    self.bad_replies += 1
                    self.log("%s: Configure-Reject of option %d:%s we did not send" % (
                        self.name, o[0], o[1].hex()))
                    return
            self.reply_seen = True
            if not self.h.got_reject(opts):
                self.fail(self.now, "%s: peer rejected a needed option" % self.name)
                return
            self._event("RCN", pkt)
            return
        # Configure-Nak
        self.reply_seen = True
        self.naks_received += 1
        if self.naks_received > self.max_naks_received:
            self.fail(self.now, "%s: %d Configure-Naks without converging" % (
                self.name, self.naks_received))
            return
        if not self.h.got_nak(opts):
            self.fail(self.now, "%s: cannot accept the peer's Configure-Nak" % self.name)
            return
        self._event("RCN", pkt)
