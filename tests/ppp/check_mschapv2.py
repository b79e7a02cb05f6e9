#!/usr/bin/python3
"""An independent check of our MS-CHAPv2 (RFC 2759) and MPPE keys (RFC 3079).

Written from the RFCs with pycryptodome (Debian's python3-pycryptodome,
imported as Cryptodome), sharing nothing with the C code. For random users,
passwords (ASCII and not) and challenges it computes the NT-Response the
client would send, the authenticator response the server must answer with,
and the MPPE master and start keys, then asks mschapv2_tool (our code: the
crypto directly and a whole engine session) and compares. One case in ten
carries a corrupted NT-Response, which the engine must refuse with E=691.

    check_mschapv2.py <path to mschapv2_tool> [cases] [seed]
"""
import os
import random
import subprocess
import sys

try:
    from Cryptodome.Cipher import DES
    from Cryptodome.Hash import MD4, SHA1
except ImportError:
    print("python3-pycryptodome (Cryptodome) is missing: skipped")
    sys.exit(77)  # meson: skipped


def sha1(*parts):
    h = SHA1.new()
    for p in parts:
        h.update(p)
    return h.digest()


def nt_password_hash(password):
    return MD4.new(password.encode("utf-16-le")).digest()


def challenge_hash(peer_challenge, auth_challenge, user):
    user = user.rsplit(b"\\", 1)[-1]  # RFC 2759 8.2: no domain
    return sha1(peer_challenge, auth_challenge, user)[:8]


def des_key(seven):
    bits = int.from_bytes(seven, "big")
    return bytes(((bits >> (49 - 7 * i)) & 0x7F) << 1 for i in range(8))


def challenge_response(challenge, password_hash):
    z = password_hash + bytes(5)
    return b"".join(DES.new(des_key(z[i:i + 7]), DES.MODE_ECB).encrypt(challenge)
                    for i in (0, 7, 14))


def nt_response(auth_challenge, peer_challenge, user, password):
    return challenge_response(challenge_hash(peer_challenge, auth_challenge, user),
                              nt_password_hash(password))


def authenticator_response(password, nt_resp, peer_challenge, auth_challenge, user):
    magic1 = b"Magic server to client signing constant"
    magic2 = b"Pad to make it do more than one iteration"
    hash_hash = MD4.new(nt_password_hash(password)).digest()
    digest = sha1(hash_hash, nt_resp, magic1)
    return sha1(digest, challenge_hash(peer_challenge, auth_challenge, user), magic2)


MAGIC_MASTER = b"This is the MPPE Master Key"
MAGIC_2 = (b"On the client side, this is the send key; "
           b"on the server side, it is the receive key.")
MAGIC_3 = (b"On the client side, this is the receive key; "
           b"on the server side, it is the send key.")


def mppe_keys(password, nt_resp):
    hash_hash = MD4.new(nt_password_hash(password)).digest()
    master = sha1(hash_hash, nt_resp, MAGIC_MASTER)[:16]

    def start(magic):
        return sha1(master, bytes(40), magic, b"\xf2" * 40)[:16]

    return master, start(MAGIC_3), start(MAGIC_2)  # server send, server receive


ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            " !#$%&()*+,-./:;<=>?@[]^_`{|}~'\"")
WIDE = "éüßøñЖжΩλ中文パスワード€✓😀🔑"


def random_case(rng):
    user = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
    if rng.random() < 0.2:
        user = "DOMAIN%d\\%s" % (rng.randint(0, 9), user)
    chars = ALPHABET + (WIDE if rng.random() < 0.5 else "")
    password = "".join(rng.choice(chars) for _ in range(rng.randint(0, 64)))
    return (user.encode(), password, rng.randbytes(16), rng.randbytes(16))


def main():
    tool = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)

    # RFC 2759 section 9.2 first: the Python side must agree with the RFC too.
    rfc = (b"User", "clientPass", bytes.fromhex("5B5D7C7D7B3F2F3E3C2C602132262628"),
           bytes.fromhex("21402324255E262A28295F2B3A337C7E"))
    assert nt_response(rfc[2], rfc[3], rfc[0], rfc[1]).hex().upper() == \
        "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
    assert authenticator_response(rfc[1], nt_response(rfc[2], rfc[3], rfc[0], rfc[1]),
                                  rfc[3], rfc[2], rfc[0]).hex().upper() == \
        "407A5589115FD0D6209F510FE9C04566932CDA56"

    inputs, expected = [], []
    for i in range(cases):
        user, password, auth_ch, peer_ch = rfc if i == 0 else random_case(rng)
        nt = nt_response(auth_ch, peer_ch, user, password)
        corrupt = i > 0 and rng.random() < 0.1
        sent = bytes([nt[0] ^ 0x55]) + nt[1:] if corrupt else nt
        inputs.append(" ".join(x.hex() or "-" for x in
                               (user, password.encode(), auth_ch, peer_ch, sent)))
        expected.append((user, password, auth_ch, peer_ch, nt, corrupt))

    run = subprocess.run([tool], input="\n".join(inputs) + "\n", capture_output=True,
                         text=True, check=False)
    if run.returncode != 0:
        print("mschapv2_tool failed:", run.stderr)
        return 1
    lines = run.stdout.splitlines()
    if len(lines) != cases:
        print("expected %d lines, got %d" % (cases, len(lines)))
        return 1

    failures = 0
    for (user, password, auth_ch, peer_ch, nt, corrupt), line in zip(expected, lines):
        got = dict(kv.split("=", 1) for kv in line.split())
        problems = []
        if got["nt"] != nt.hex():
            problems.append("NT-Response %s, expected %s" % (got["nt"], nt.hex()))
        msg = bytes.fromhex(got["msg"]).decode("ascii", "replace")
        if corrupt:
            if got["status"] != "failure" or not msg.startswith("E=691 "):
                problems.append("corrupted NT-Response accepted: %s %s" % (got["status"], msg))
        else:
            want_s = "S=" + authenticator_response(password, nt, peer_ch, auth_ch,
                                                   user).hex().upper()
            master, send, recv = mppe_keys(password, nt)
            if got["status"] != "success":
                problems.append("refused: %s" % msg)
            elif not msg.startswith(want_s):
                problems.append("authenticator response %s, expected %s" % (msg, want_s))
            elif (got["master"], got["send"], got["recv"]) != (master.hex(), send.hex(),
                                                                recv.hex()):
                problems.append("MPPE keys differ")
        if problems:
            failures += 1
            print("user=%r password=%r: %s" % (user, password, "; ".join(problems)))
    print("%d cases (seed %d), %d disagreements" % (cases, seed, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
