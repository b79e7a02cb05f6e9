"""MPPE (RFC 3078) with keys from MS-CHAPv2 (RFC 3079), for test-side peers.

Written from the RFCs for the tests, sharing nothing with the project's C
code (lib/mppe), with pycryptodome (Debian's python3-pycryptodome, imported
as Cryptodome) and hashlib. Run it under /usr/bin/python3.

    st = MppeState(start_key, 128, stateless=True)
    packet = st.encrypt(b"\\x00\\x21" + ip_packet)   # MPPE header + ciphertext
    payload = peer.decrypt(packet)                   # None if dropped

`packet` is what follows PPP protocol 0x00FD. The receiver follows the same
documented rules as lib/mppe (docs/mppe.md): a stateless receiver re-keys
forward over lost counts (at most 0xF00 at a time), keeps the keys of the
MPPE_RING newest counts for late packets and refuses to use a key twice; a
stateful one drops everything after a loss until a flushed packet.
`last_error` names why decrypt() returned None: "format", "late", "jump" or
"resync" (the caller then sends a CCP Reset-Request, and the sender calls
flush()).
"""
import hashlib

from Cryptodome.Cipher import ARC4

BIT_A = 0x80  # flushed
BIT_C = 0x20  # compressed (MPPC)
BIT_D = 0x10  # encrypted
CCOUNT_SPACE = 4096
MAX_JUMP = 0xF00
RING = 8

_PAD1 = bytes(40)
_PAD2 = b"\xf2" * 40
_MAGIC1 = b"This is the MPPE Master Key"
_MAGIC2 = (b"On the client side, this is the send key; "
           b"on the server side, it is the receive key.")
_MAGIC3 = (b"On the client side, this is the receive key; "
           b"on the server side, it is the send key.")


def _sha1(*parts):
    h = hashlib.sha1()
    for p in parts:
        h.update(p)
    return h.digest()


def master_key(password_hash_hash: bytes, nt_response: bytes) -> bytes:
    """RFC 3079 section 3.4 GetMasterKey."""
    return _sha1(password_hash_hash, nt_response, _MAGIC1)[:16]


def asymmetric_start_key(master_key: bytes, length: int, is_send: bool,
                         is_server: bool) -> bytes:
    """RFC 3079 section 3.4 GetAsymmetricStartKey: `length` 8 (40/56-bit) or 16."""
    if is_send:
        magic = _MAGIC3 if is_server else _MAGIC2
    else:
        magic = _MAGIC2 if is_server else _MAGIC3
    return _sha1(master_key, _PAD1, magic, _PAD2)[:length]


def nt_password_hash_hash(password: str) -> bytes:
    """HashNtPasswordHash(NtPasswordHash(password)) (RFC 2759 section 8)."""
    from Cryptodome.Hash import MD4
    h = MD4.new(password.encode("utf-16-le")).digest()
    return MD4.new(h).digest()


def key_length(bits: int) -> int:
    return 16 if bits == 128 else 8


def reduce_key(key: bytes, bits: int) -> bytes:
    """RFC 3079 sections 3.1/3.2: 40-bit keys start D1 26 9E, 56-bit D1."""
    if bits == 40:
        return b"\xd1\x26\x9e" + key[3:]
    if bits == 56:
        return b"\xd1" + key[1:]
    return key


def get_new_key_from_sha(start_key: bytes, session_key: bytes) -> bytes:
    """RFC 3078 section 7.3 GetNewKeyFromSHA (the interim key)."""
    n = len(session_key)
    return _sha1(start_key[:n], _PAD1, session_key, _PAD2)[:n]


def initial_session_key(start_key: bytes, bits: int) -> bytes:
    """RFC 3079 section 3: GetNewKeyFromSHA(StartKey, StartKey), reduced."""
    k = start_key[:key_length(bits)]
    return reduce_key(get_new_key_from_sha(k, k), bits)


def next_session_key(start_key: bytes, session_key: bytes, bits: int) -> bytes:
    """RFC 3078 section 7.3: RC4(interim, interim), reduced."""
    interim = get_new_key_from_sha(start_key, session_key)
    return reduce_key(ARC4.new(interim).encrypt(interim), bits)


class MppeState:
    """One direction of MPPE: encrypt() as its sender or decrypt() as its receiver."""

    def __init__(self, start_key: bytes, bits: int, stateless: bool):
        if bits not in (40, 56, 128):
            raise ValueError("bits must be 40, 56 or 128")
        self.bits = bits
        self.stateless = stateless
        self.start_key = bytes(start_key[:key_length(bits)])
        if len(self.start_key) != key_length(bits):
            raise ValueError("start key too short")
        self.key = initial_session_key(self.start_key, bits)
        self.count = CCOUNT_SPACE - 1  # the first packet is count 0
        self.rc4 = ARC4.new(self.key)  # stateful only
        self.pending_flush = False
        self.ring = {}  # stateless receiver: count -> key not used yet
        self.out_of_sync = False  # stateful receiver
        self.last_error = None
        self.rekeys = 0

    def _rekey(self):
        self.key = next_session_key(self.start_key, self.key, self.bits)
        self.rekeys += 1

    # ---- sender ----

    def flush(self):
        """Stateful: the peer asked for a reset; the next packet re-keys, with A."""
        if not self.stateless:
            self.pending_flush = True

    def encrypt(self, payload: bytes) -> bytes:
        """payload: PPP protocol field + information; returns header + ciphertext."""
        self.count = (self.count + 1) % CCOUNT_SPACE
        flags = BIT_D
        if self.stateless:
            self._rekey()
            flags |= BIT_A
            body = ARC4.new(self.key).encrypt(payload)
        else:
            if self.count % 256 == 0xFF or self.pending_flush:
                self._rekey()
                self.rc4 = ARC4.new(self.key)
                flags |= BIT_A
                self.pending_flush = False
            body = self.rc4.encrypt(payload)
        return bytes([flags | self.count >> 8, self.count & 0xFF]) + body

    # ---- receiver ----

    def _fail(self, why):
        self.last_error = why
        return None

    def decrypt(self, packet: bytes):
        """header + ciphertext -> the payload, or None (see last_error)."""
        self.last_error = None
        if len(packet) < 3 or packet[0] & (BIT_C | BIT_D) != BIT_D:
            return self._fail("format")
        flushed = bool(packet[0] & BIT_A)
        count = (packet[0] & 0x0F) << 8 | packet[1]
        body = packet[2:]
        if self.stateless:
            return self._decrypt_stateless(count, flushed, body)
        return self._decrypt_stateful(count, flushed, body)

    def _decrypt_stateless(self, count, flushed, body):
        if not flushed:
            return self._fail("format")
        ahead = (count - self.count) % CCOUNT_SPACE
        if 1 <= ahead <= MAX_JUMP:
            for _ in range(ahead):
                self._rekey()
                self.count = (self.count + 1) % CCOUNT_SPACE
                self.ring[self.count] = self.key
            for c in list(self.ring):
                if (self.count - c) % CCOUNT_SPACE >= RING:
                    del self.ring[c]
        elif (self.count - count) % CCOUNT_SPACE >= RING:
            return self._fail("jump")
        if count not in self.ring:
            return self._fail("late")
        return ARC4.new(self.ring.pop(count)).decrypt(body)

    def _decrypt_stateful(self, count, flushed, body):
        if count % 256 == 0xFF and not flushed:
            return self._fail("format")
        ahead = (count - self.count) % CCOUNT_SPACE
        if ahead == 0:
            return self._fail("late")
        if ahead > MAX_JUMP:
            return self._fail("jump")
        if ahead > 1 and not flushed:
            self.out_of_sync = True
        # The flag packets passed, seen or not, each changed the key.
        c = self.count
        for _ in range(ahead - 1):
            c = (c + 1) % CCOUNT_SPACE
            if c % 256 == 0xFF:
                self._rekey()
        self.count = count
        if self.out_of_sync and not flushed:
            return self._fail("resync")
        self.out_of_sync = False
        if flushed:
            self._rekey()
            self.rc4 = ARC4.new(self.key)
        return self.rc4.decrypt(body)
