"""CHAP-MD5 (RFC 1994) and MS-CHAPv2 (RFC 2759) for the authenticating peer.

Uses Debian's python3-pycryptodome (imported as Cryptodome) for MD4 and DES.
"""
import hashlib

from Cryptodome.Cipher import DES
from Cryptodome.Hash import MD4

# RFC 2759 section 8.7
MAGIC1 = b"Magic server to client signing constant"
MAGIC2 = b"Pad to make it do more than one iteration"


def chap_md5_response(ident, secret, challenge):
    """RFC 1994 section 4.1: MD5(Identifier || secret || Challenge)."""
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    return hashlib.md5(bytes([ident & 0xFF]) + secret + challenge).digest()


def strip_domain(username):
    """RFC 2759 section 8.2: the name hashed has no DOMAIN\\ prefix."""
    if isinstance(username, str):
        username = username.encode("utf-8")
    return username.rsplit(b"\\", 1)[-1]


def challenge_hash(peer_challenge, auth_challenge, username):
    """RFC 2759 8.2 ChallengeHash: the first 8 bytes of SHA1(peer || auth || user)."""
    return hashlib.sha1(peer_challenge + auth_challenge + strip_domain(username)).digest()[:8]


def nt_password_hash(password):
    """RFC 2759 8.3 NtPasswordHash: MD4 of the UTF-16LE password."""
    if isinstance(password, bytes):
        password = password.decode("utf-8", errors="surrogateescape")
    h = MD4.new()
    h.update(password.encode("utf-16-le", errors="surrogatepass"))
    return h.digest()


def hash_nt_password_hash(password_hash):
    h = MD4.new()
    h.update(password_hash)
    return h.digest()


def des_key_expand(key7):
    """RFC 2759 8.6: spread 56 key bits over 8 bytes, 7 bits each, odd parity in bit 0."""
    bits = int.from_bytes(key7, "big")
    out = bytearray()
    for i in range(8):
        seven = (bits >> (49 - 7 * i)) & 0x7F
        byte = seven << 1
        if bin(byte).count("1") % 2 == 0:
            byte |= 1
        out.append(byte)
    return bytes(out)


def des_encrypt(clear8, key7):
    return DES.new(des_key_expand(key7), DES.MODE_ECB).encrypt(clear8)


def challenge_response(challenge8, password_hash):
    """RFC 2759 8.5: three DES encryptions keyed by the 16-byte hash padded to 21."""
    z = password_hash + bytes(21 - len(password_hash))
    return b"".join(des_encrypt(challenge8, z[i:i + 7]) for i in (0, 7, 14))


def generate_nt_response(auth_challenge, peer_challenge, username, password):
    """RFC 2759 8.1 GenerateNTResponse: the 24-byte NT-Response."""
    return challenge_response(challenge_hash(peer_challenge, auth_challenge, username),
                              nt_password_hash(password))


def generate_authenticator_response(password, nt_response, peer_challenge, auth_challenge,
                                    username):
    """RFC 2759 8.7: the "S=<40 hex digits>" string the authenticator must send."""
    phh = hash_nt_password_hash(nt_password_hash(password))
    digest = hashlib.sha1(phh + nt_response + MAGIC1).digest()
    chal = challenge_hash(peer_challenge, auth_challenge, username)
    digest = hashlib.sha1(digest + chal + MAGIC2).digest()
    return "S=" + digest.hex().upper()


def mschapv2_response_value(auth_challenge, peer_challenge, username, password):
    """The 49-byte Response Value (RFC 2759 4): Peer-Challenge, 8 zero bytes,
    NT-Response, Flags 0. Returns (value, nt_response)."""
    nt = generate_nt_response(auth_challenge, peer_challenge, username, password)
    return peer_challenge + bytes(8) + nt + b"\x00", nt


def parse_mschapv2_message(text):
    """Split a Success/Failure message ("S=.. M=.." / "E=.. R=.. C=.. V=.. M=..")
    into a dict. M= takes the rest of the message, spaces included."""
    out = {}
    rest = text.strip()
    while rest:
        if len(rest) >= 2 and rest[1] == "=" and rest[0] == "M":
            out["M"] = rest[2:]
            break
        word, _, rest = rest.partition(" ")
        rest = rest.lstrip()
        key, eq, value = word.partition("=")
        if eq:
            out[key] = value
        else:
            out.setdefault("_unparsed", []).append(word)
    return out
