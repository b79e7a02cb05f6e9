"""The authenticating peer's side of PAP (RFC 1334), CHAP-MD5 (RFC 1994) and
MS-CHAPv2 (RFC 2759)."""

from . import crypto
from . import frame as F

PAP_REQ, PAP_ACK, PAP_NAK = 1, 2, 3
CHAP_CHALLENGE, CHAP_RESPONSE, CHAP_SUCCESS, CHAP_FAILURE = 1, 2, 3, 4


def _text(b):
    return bytes(b).decode("latin-1")


class Authenticator:
    """Base: result is None until decided, then success/failure/bad-authenticator/
    timeout/protocol-rejected; failure holds what the server said."""
    proto = None

    def __init__(self, client, method):
        self.c = client
        self.method = method
        self.cfg = client.cfg
        self.user = self.cfg.user.encode("utf-8")
        self.password = self.cfg.password
        self.retries_left = self.cfg.retry
        self.result = None
        self.failure = None
        self.deadline = None
        self.attempts = 0

    def _next_password(self):
        """The password for a retry: --retry-password if given."""
        if self.cfg.retry_password is not None:
            self.password = self.cfg.retry_password

    def start(self, now):
        pass

    def tick(self, now):
        pass

    def input(self, now, pkt):
        pass

    def _send(self, code, ident, data):
        self.c._output_cp(self.proto, F.CpPacket(code, ident, data))

    def _done(self, now, result, failure=None, close_now=True):
        """close_now: end the link at once (as pppd does); otherwise give the
        server a moment to end it (or to challenge again)."""
        self.result = result
        self.failure = failure
        self.deadline = None
        self.c._auth_done(now, result, failure, close_now)


class PapClient(Authenticator):
    proto = F.PROTO_PAP

    def __init__(self, client, method="pap"):
        super().__init__(client, method)
        self.ident = 0
        self.ids_sent = set()
        self.transmits = 0

    def start(self, now):
        self.attempts = 1
        self._transmit(now)

    def _transmit(self, now):
        self.ident = (self.ident + 1) & 0xFF  # RFC 1334 2.2.1: changed for each request
        self.ids_sent.add(self.ident)
        pw = self.password.encode("utf-8")
        data = bytes([len(self.user)]) + self.user + bytes([len(pw)]) + pw
        self._send(PAP_REQ, self.ident, data)
        self.transmits += 1
        self.deadline = now + self.cfg.restart

    def tick(self, now):
        if self.deadline is not None and now >= self.deadline:
            if self.transmits >= self.cfg.max_configure:
                self._done(now, "timeout", {"M": "no answer to %d Authenticate-Requests" %
                                            self.transmits})
            else:
                self._transmit(now)

    def input(self, now, pkt):
        if pkt.code not in (PAP_ACK, PAP_NAK):
            self.c.error("PAP: unexpected code %d from the server" % pkt.code)
            return
        if self.result is not None:
            return  # an answer to a retransmission
        if pkt.ident not in self.ids_sent:
            self.c.error("PAP: answer id %d matches none of our requests" % pkt.ident)
            return
        msg = ""
        if pkt.data:
            n = pkt.data[0]
            if 1 + n > len(pkt.data):
                self.c.error("PAP: message length %d overruns the packet" % n)
            msg = _text(pkt.data[1:1 + n])
        if pkt.code == PAP_ACK:
            self.c.auth_message = msg
            self._done(now, "success", None)
            return
        failure = {"M": msg}
        if self.retries_left > 0:
            self.retries_left -= 1
            self.attempts += 1
            self.c.note("PAP: Nak %r; retrying" % msg)
            self._next_password()
            self.ids_sent = set()
            self.transmits = 0
            self._transmit(now)
            return
        self._done(now, "failure", failure, close_now=False)


class ChapClient(Authenticator):
    """CHAP with MD5 (algorithm 5) or MS-CHAPv2 (0x81)."""
    proto = F.PROTO_CHAP

    def __init__(self, client, method):
        super().__init__(client, method)
        self.mschap = method == "mschapv2"
        self.last_challenge = None   # (ident, value) we answered
        self.last_response = None    # (ident, data) we sent
        self.expect = None           # what we need to verify S= against
        self.waiting_retry = False   # after a failure, waiting for a new Challenge

    def input(self, now, pkt):
        if pkt.code == CHAP_CHALLENGE:
            self._challenge(now, pkt)
        elif pkt.code in (CHAP_SUCCESS, CHAP_FAILURE):
            self._status(now, pkt)
        else:
            self.c.error("CHAP: unexpected code %d from the server" % pkt.code)

    def _challenge(self, now, pkt):
        if len(pkt.data) < 1 or 1 + pkt.data[0] > len(pkt.data):
            self.c.error("CHAP: malformed Challenge")
            return
        size = pkt.data[0]
        value = pkt.data[1:1 + size]
        name = _text(pkt.data[1 + size:])
        if self.last_challenge == (pkt.ident, value) and self.last_response is not None:
            # the server retransmits: our Response was lost, send it again
            self.c.note("CHAP: Challenge id %d repeated; Response sent again" % pkt.ident)
            self._send(CHAP_RESPONSE, *self.last_response)
            return
        if self.mschap and size != 16:
            self.c.error("MS-CHAPv2: Challenge value of %d bytes (need 16)" % size)
            return
        if self.result == "failure" or self.waiting_retry:
            if self.retries_left <= 0:
                self.c.note("CHAP: new Challenge after failure ignored (no --retry left)")
                return
            self.retries_left -= 1
            self._next_password()
            self.waiting_retry = False
            self.result = None
            self.c._auth_retrying(now)
        elif self.result == "success":
            self.c.note("CHAP: re-Challenge id %d after success" % pkt.ident)
            self.result = None
        self.server_name = name
        self.attempts += 1
        self._respond(pkt.ident, value)

    def _respond(self, ident, auth_challenge):
        if self.mschap:
            peer_chal = self.c.rng(16)
            value, nt = crypto.mschapv2_response_value(auth_challenge, peer_chal, self.user,
                                                       self.password)
            self.expect = crypto.generate_authenticator_response(
                self.password, nt, peer_chal, auth_challenge, self.user)
            self.nt_response = nt  # MPPE's master key comes from it (RFC 3079 3.4)
        else:
            value = crypto.chap_md5_response(ident, self.password, auth_challenge)
        data = bytes([len(value)]) + value + self.user
        self.last_challenge = (ident, auth_challenge)
        self.last_response = (ident, data)
        self._send(CHAP_RESPONSE, ident, data)

    def _status(self, now, pkt):
        what = "Success" if pkt.code == CHAP_SUCCESS else "Failure"
        if self.last_response is None:
            self.c.error("CHAP: %s before any Response" % what)
            return
        if pkt.ident != self.last_response[0]:
            self.c.error("CHAP: %s id %d does not match our Response id %d" % (
                what, pkt.ident, self.last_response[0]))
            return
        if self.result is not None:
            return  # a repeat of the answer we already have
        msg = _text(pkt.data)
        if pkt.code == CHAP_SUCCESS:
            self.c.auth_message = msg
            if self.mschap:
                fields = crypto.parse_mschapv2_message(msg)
                got = "S=" + fields.get("S", "")
                if got != self.expect and got.upper() == self.expect:
                    # RFC 2759 5: "The hexadecimal digits A-F MUST be uppercase."
                    self.c.error("MS-CHAPv2: authenticator response not in uppercase: %r" % got)
                if got.upper() != self.expect.upper():
                    self.c.error("MS-CHAPv2: authenticator response %r, expected %r" % (
                        got, self.expect))
                    self._done(now, "bad-authenticator", {"S": fields.get("S"),
                                                          "expected": self.expect[2:],
                                                          "M": fields.get("M")})
                    return
                self.c._mschapv2_keys(crypto.hash_nt_password_hash(
                    crypto.nt_password_hash(self.password)), self.nt_response)
            self._done(now, "success", None)
            return
        # Failure
        if self.mschap:
            failure = crypto.parse_mschapv2_message(msg)
            failure.pop("_unparsed", None)
            for key in ("E", "R", "V"):
                if key in failure:
                    try:
                        failure[key] = int(failure[key])
                    except ValueError:
                        self.c.error("MS-CHAPv2: Failure field %s=%r is not a number" % (
                            key, failure[key]))
            if "E" not in failure:
                self.c.error("MS-CHAPv2: Failure without E=: %r" % msg)
            retry_allowed = failure.get("R") == 1
            if retry_allowed and self.retries_left > 0:
                chal = failure.get("C", "")
                try:
                    new_chal = bytes.fromhex(chal)
                except ValueError:
                    new_chal = b""
                if len(new_chal) != 16:
                    self.c.error("MS-CHAPv2: Failure R=1 with a bad C=%r" % chal)
                else:
                    self.retries_left -= 1
                    self._next_password()
                    self.c.note("MS-CHAPv2: Failure %r; retrying" % msg)
                    self.c._auth_retrying(now)
                    self.attempts += 1
                    # RFC 2759 section 6 (and 9.1): the next Response carries the
                    # Failure's Identifier plus one and answers the new challenge
                    self._respond((pkt.ident + 1) & 0xFF, new_chal)
                    return
            # R=1 that we do not take up: hang up as pppd does; R=0: the server ends it
            self._done(now, "failure", failure, close_now=retry_allowed)
            return
        failure = {"M": msg}
        if self.retries_left > 0:
            # RFC 1994: the authenticator may send a new Challenge
            self.waiting_retry = True
            self.c.note("CHAP-MD5: Failure %r; waiting for a new Challenge" % msg)
        self._done(now, "failure", failure, close_now=False)


def make_authenticator(client, method):
    if method == "pap":
        return PapClient(client)
    if method in ("chap-md5", "mschapv2"):
        return ChapClient(client, method)
    raise ValueError(method)
