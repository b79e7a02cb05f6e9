#!/usr/bin/python3
"""lib/mppe against an independent MPPE in Python (tests/tools/mppe.py).

mppe_tool (our C code, driven over a pipe) and tests/tools/mppe.py must:
- give RFC 3079 section 3.5's keys and sample message (Python side);
- encrypt byte for byte alike, given the same keys, payloads and flushes;
- decrypt each other's packets through a damaged channel (loss, bursts of
  loss, reordering within and beyond the key ring, duplicates) alike: the
  same packets accepted, with the original payloads, the same ones refused
  for the same reason, and as many key changes;
in both directions (C encrypts -> both decrypt; Python encrypts -> both
decrypt), stateless and stateful (a receiver out of sync gets its sender
flushed a few packets later, as a CCP Reset-Request would), at 40, 56 and
128 bits, for random keys and sizes.

    check_mppe.py <path to mppe_tool> [cases] [seed]
"""
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
try:
    import mppe
    from Cryptodome.Cipher import ARC4
except ImportError as e:
    print(f"python3-pycryptodome (Cryptodome) is missing: skipped ({e})")
    sys.exit(77)  # meson: skipped


class Tool:
    def __init__(self, path):
        self.p = subprocess.Popen([path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1)

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        answer = self.p.stdout.readline()
        if not answer:
            sys.exit(f"mppe_tool died on: {line[:80]}")
        return answer.strip()

    def init(self, i, key, bits, stateless):
        assert self.ask(f"init {i} {bits} {int(stateless)} {key.hex()}") == "ok"

    def enc(self, i, payload):
        return bytes.fromhex(self.ask(f"enc {i} {payload.hex()}"))

    def dec(self, i, packet):
        status, value = self.ask(f"dec {i} {packet.hex()}").split(" ", 1)
        return (bytes.fromhex(value), None) if status == "ok" else (None, value)

    def flush(self, i):
        assert self.ask(f"flush {i}") == "ok"

    def counters(self, i):
        return {k: int(v) for k, v in (f.split("=") for f in self.ask(f"ctr {i}").split())}

    def close(self):
        self.p.stdin.close()
        assert self.p.wait() == 0


def check_rfc3079():
    nt_response = bytes.fromhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF")
    hh = mppe.nt_password_hash_hash("clientPass")
    assert hh == bytes.fromhex("41C00C584BD2D91C4017A2A12FA59F3F")
    mk = mppe.master_key(hh, nt_response)
    assert mk == bytes.fromhex("FDECE3717A8C838CB388E527AE3CDD31")
    send = mppe.asymmetric_start_key(mk, 16, is_send=True, is_server=True)
    assert send == bytes.fromhex("8B7CDC149B993A1BA118CB153F56DCCB")
    assert mppe.asymmetric_start_key(mk, 8, True, True) == send[:8]
    # The server's send key is the client's receive key, and the other way round.
    assert mppe.asymmetric_start_key(mk, 16, False, False) == send
    assert (mppe.asymmetric_start_key(mk, 16, True, False)
            == mppe.asymmetric_start_key(mk, 16, False, True) != send)
    for bits, key, sample in (
            (40, "D1269EC49FA62E3E", "929137917E5803D668D75898"),
            (56, "D15C00C49FA62E3E", "3F106833FA448DA842BC57B8"),
            (128, "405CB2247A7956E6E211007AE27B22D4", "81848317DF68846272FB5ABE")):
        assert mppe.initial_session_key(send, bits) == bytes.fromhex(key)
        assert ARC4.new(bytes.fromhex(key)).encrypt(b"test message") == bytes.fromhex(sample)
        st = mppe.MppeState(send, bits, stateless=False)
        assert st.encrypt(b"test message") == b"\x10\x00" + bytes.fromhex(sample)


def payload(rng):
    return bytes([0x00, 0x21]) + rng.randbytes(rng.choice((0, 1, 18, 62, 510, 1398,
                                                          rng.randrange(1, 1500))))


def check_same_ciphertext(tool, rng, bits, stateless, n):
    key = rng.randbytes(16)
    tool.init(0, key, bits, stateless)
    py = mppe.MppeState(key, bits, stateless)
    for i in range(n):
        if rng.random() < 0.01:
            tool.flush(0)
            py.flush()
        p = payload(rng)
        c_out, py_out = tool.enc(0, p), py.encrypt(p)
        assert c_out == py_out, f"packet {i}: C {c_out[:8].hex()} Python {py_out[:8].hex()}"


class Channel:
    """Per step: loss, bursts of loss, delay (reordering), duplicates."""

    def __init__(self, rng, loss, dup, max_delay, burst):
        self.rng, self.loss, self.dup = rng, loss, dup
        self.max_delay, self.burst = max_delay, burst
        self.queue = []  # (due step, tie, packet id)
        self.burst_left = 0

    def send(self, step, pid, protect=False):
        rng = self.rng
        if protect:  # delivered, in order (duplicates allowed)
            copies = 2 if rng.random() < self.dup else 1
            self.queue += [(step, rng.random(), pid)] * copies
            return
        if self.burst_left:
            self.burst_left -= 1
            return
        if rng.random() < self.burst:
            self.burst_left = rng.randrange(20, 1200)
            return
        if rng.random() < self.loss:
            return
        copies = 2 if rng.random() < self.dup else 1
        for _ in range(copies):
            delay = rng.randrange(self.max_delay + 1) if rng.random() < 0.3 else 0
            self.queue.append((step + delay, rng.random(), pid))

    def due(self, step):
        out = sorted(q for q in self.queue if q[0] <= step)
        self.queue = [q for q in self.queue if q[0] > step]
        return [pid for _, _, pid in out]


def check_damaged(tool, rng, bits, stateless, steps, c_sends, channel):
    """One sender (C or Python); a C and a Python receiver see the same packets."""
    key = rng.randbytes(16)
    tool.init(1, key, bits, stateless)  # the C sender
    tool.init(2, key, bits, stateless)  # the C receiver
    py_tx = mppe.MppeState(key, bits, stateless)
    py_rx = mppe.MppeState(key, bits, stateless)
    sent = []  # pid -> (payload, packet)
    flush_at = None
    outcome = {"ok": 0}
    for step in range(steps + channel.max_delay + 1):
        if step < steps:
            if flush_at == step:
                if c_sends:
                    tool.flush(1)
                else:
                    py_tx.flush()
                flush_at = None
            p = payload(rng)
            packet = tool.enc(1, p) if c_sends else py_tx.encrypt(p)
            sent.append((p, packet))
            # Stateful: the answer to a Reset-Request (A on a count that is not
            # a flag packet's) changes the key; a receiver that misses it can
            # never tell (docs/mppe.md): the channel always delivers it.
            reset_answer = not stateless and packet[0] & mppe.BIT_A and packet[1] != 0xFF
            channel.send(step, len(sent) - 1, protect=reset_answer)
        for pid in channel.due(step):
            p, packet = sent[pid]
            c_clear, c_why = tool.dec(2, packet)
            py_clear = py_rx.decrypt(packet)
            where = f"packet {pid} (count {(packet[0] & 15) << 8 | packet[1]})"
            assert c_why == py_rx.last_error, f"{where}: C {c_why}, Python {py_rx.last_error}"
            if c_why is None:
                assert c_clear == p, f"{where}: C decrypted wrong (Python {py_clear == p}, stateless {stateless} bits {bits} c_sends {c_sends})"
                assert py_clear == p, f"{where}: Python decrypted wrong"
                outcome["ok"] += 1
            else:
                outcome[c_why] = outcome.get(c_why, 0) + 1
                if c_why == "resync" and flush_at is None:
                    flush_at = step + rng.randrange(1, 20)  # the Reset-Request's trip
    ctr = tool.counters(2)
    assert ctr["rekeys"] == py_rx.rekeys, f"re-keys: C {ctr['rekeys']}, Python {py_rx.rekeys}"
    return outcome


def check_bounds(tool):
    """A gap of exactly MAX_JUMP is re-keyed over; one more is refused."""
    for stateless in (True, False):
        key = bytes(range(16))
        tool.init(3, key, 128, stateless)
        py = mppe.MppeState(key, 128, stateless)
        tx = mppe.MppeState(key, 128, stateless)
        packets = [tx.encrypt(b"\x00\x21" + bytes([i % 256]) * 8)
                   for i in range(2 * mppe.MAX_JUMP + 2)]
        gap = None if stateless else "resync"  # stateful: a loss, without A
        for n, expect in ((0, None), (mppe.MAX_JUMP, gap),
                          (2 * mppe.MAX_JUMP + 1, "jump"), (2 * mppe.MAX_JUMP, gap),
                          (2 * mppe.MAX_JUMP + 1, gap)):
            c_clear, c_why = tool.dec(3, packets[n])
            assert py.decrypt(packets[n]) == c_clear
            assert c_why == py.last_error == expect, f"{n}: C {c_why} Python {py.last_error}"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else random.randrange(1 << 30)
    print(f"seed {seed}")
    rng = random.Random(seed)
    tool = Tool(sys.argv[1])
    check_rfc3079()
    check_bounds(tool)
    for bits in (40, 56, 128):
        for stateless in (True, False):
            check_same_ciphertext(tool, rng, bits, stateless, 600)
    check_same_ciphertext(tool, rng, 128, False, 4500)  # wrap, 17 flag packets
    totals = {}
    for case in range(cases):
        bits = (40, 56, 128)[case % 3]
        stateless = case % 2 == 0
        c_sends = case % 4 < 2
        channel = Channel(rng, loss=rng.choice((0, 0.02, 0.1)), dup=rng.choice((0, 0.03)),
                          max_delay=rng.choice((0, 3, 12)), burst=rng.choice((0, 0.002)))
        steps = 5000 if case < 2 else 700
        out = check_damaged(tool, rng, bits, stateless, steps, c_sends, channel)
        for k, v in out.items():
            totals[k] = totals.get(k, 0) + v
    tool.close()
    print("outcomes:", " ".join(f"{k}={v}" for k, v in sorted(totals.items())))
    for k in ("ok", "late", "jump", "resync"):
        assert totals.get(k, 0) > 0, f"no '{k}' outcome exercised"
    print("ok")


if __name__ == "__main__":
    main()
