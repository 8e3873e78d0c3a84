"""Prints valid IBANs, BTC (base58check, bech32), ETH (EIP-55) and TRON addresses for new corpus cases,
plus one broken variant of each for hard negatives (a checksum that must NOT validate).

Run: .venv/bin/python tests/corpus/checksummed_ids.py [SEED]
Pure Python: keccak-256 is implemented here because hashlib only has NIST SHA3, which pads
differently. The self-checks at import use published test vectors.
"""

from __future__ import annotations

import hashlib
import random
import sys

MASK64 = (1 << 64) - 1
KECCAK_ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)
KECCAK_ROTATIONS = ((0, 36, 3, 41, 18), (1, 44, 10, 45, 2), (62, 6, 43, 15, 61), (28, 55, 25, 21, 56), (27, 20, 39, 8, 14))


def _rotate_left(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & MASK64 if shift else value


def _keccak_f(state: list[list[int]]) -> list[list[int]]:
    for round_constant in KECCAK_ROUND_CONSTANTS:
        column = [state[x][0] ^ state[x][1] ^ state[x][2] ^ state[x][3] ^ state[x][4] for x in range(5)]
        theta = [column[(x - 1) % 5] ^ _rotate_left(column[(x + 1) % 5], 1) for x in range(5)]
        state = [[state[x][y] ^ theta[x] for y in range(5)] for x in range(5)]
        moved = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                moved[y][(2 * x + 3 * y) % 5] = _rotate_left(state[x][y], KECCAK_ROTATIONS[x][y])
        state = [[moved[x][y] ^ (~moved[(x + 1) % 5][y] & moved[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        state[0][0] ^= round_constant
    return state


def keccak256(data: bytes) -> bytes:
    rate = 136
    padded = bytearray(data) + b"\x01"
    padded += b"\x00" * (-len(padded) % rate)
    padded[-1] |= 0x80
    state = [[0] * 5 for _ in range(5)]
    for offset in range(0, len(padded), rate):
        for lane in range(rate // 8):
            word = int.from_bytes(padded[offset + 8 * lane : offset + 8 * lane + 8], "little")
            state[lane % 5][lane // 5] ^= word
        state = _keccak_f(state)
    return b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def eth_address(raw: bytes) -> str:
    """EIP-55: a hex letter is upper case when the matching nibble of keccak(lower hex) is >= 8."""
    lower = raw.hex()
    digest = keccak256(lower.encode()).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(digest[i], 16) >= 8 else c for i, c in enumerate(lower))


BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload: bytes) -> str:
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number, text = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = BASE58[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _bech32_polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(generators):
            checksum ^= generator if (top >> i) & 1 else 0
    return checksum


def _to_5bit(data: bytes) -> list[int]:
    acc = bits = 0
    out = []
    for byte in data:
        acc, bits = (acc << 8) | byte, bits + 8
        while bits >= 5:
            bits -= 5
            out.append((acc >> bits) & 31)
    if bits:
        out.append((acc << (5 - bits)) & 31)
    return out


def bech32_address(program: bytes, hrp: str = "bc", witness_version: int = 0) -> str:
    data = [witness_version] + _to_5bit(program)
    expanded_hrp = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _bech32_polymod(expanded_hrp + data + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in data + checksum)


def _iban_remainder(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97


def iban(country: str, bban: str) -> str:
    check = 98 - _iban_remainder(country + "00" + bban)
    return f"{country}{check:02d}{bban}"


def iban_is_valid(text: str) -> bool:
    return _iban_remainder(text.replace(" ", "").upper()) == 1


def btc_address_is_valid(text: str) -> bool:
    if text[:3].lower() == "bc1":
        lower = text.lower()
        if lower != text and text.upper() != text or any(c not in BECH32 for c in lower[3:]):
            return False
        hrp, data = lower[:2], [BECH32.index(c) for c in lower[3:]]
        return _bech32_polymod([ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data) == 1
    return _base58check_payload(text) is not None


def trx_address_is_valid(text: str) -> bool:
    """TRON (the chain of most USDT payments): base58check of 0x41 + 20 bytes, 34 characters from 'T'."""
    payload = _base58check_payload(text)
    return payload is not None and payload[0] == 0x41


def _base58check_payload(text: str) -> bytes | None:
    """The 21-byte version + hash of a 25-byte base58check string whose checksum holds, else None."""
    if not text or any(c not in BASE58 for c in text):
        return None
    number = 0
    for c in text:
        number = number * 58 + BASE58.index(c)
    raw = number.to_bytes(25, "big") if number < 1 << 200 else b""
    if len(raw) == 25 and hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] == raw[21:]:
        return raw[:21]
    return None


def eth_address_is_valid(text: str) -> bool:
    """All-lower or all-upper hex carries no checksum (valid); mixed case must match EIP-55."""
    body = text[2:]
    if len(body) != 40 or any(c not in "0123456789abcdefABCDEF" for c in body):
        return False
    return body in (body.lower(), body.upper()) or eth_address(bytes.fromhex(body)) == text


def grouped(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
assert eth_address(bytes.fromhex("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")) == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
assert iban_is_valid("GB82 WEST 1234 5698 7654 32")
assert btc_address_is_valid("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
assert btc_address_is_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
assert trx_address_is_valid(base58check(b"\x41" + bytes(range(20)))) and not trx_address_is_valid(base58check(b"\x00" + bytes(range(20))))


def main(seed: int) -> None:
    rnd = random.Random(seed)

    def digits(n: int) -> str:
        return "".join(rnd.choice("0123456789") for _ in range(n))

    samples = {"DE": digits(18), "ES": digits(20), "GB": "NWBK" + digits(14), "NL": "ABNA" + digits(10),
               "PK": "MEZN" + digits(16), "AT": digits(16), "BE": digits(12), "PT": digits(21)}
    for country, bban in samples.items():
        valid = iban(country, bban)
        broken = valid[:10] + str((int(valid[10]) + 1) % 10) + valid[11:]
        assert iban_is_valid(valid) and not iban_is_valid(broken)
        print(f"IBAN {grouped(valid)}    broken: {grouped(broken)}")
    for version in (b"\x00", b"\x00", b"\x05"):
        print("BTC base58 ", base58check(version + rnd.randbytes(20)))
    print("BTC bech32 ", bech32_address(rnd.randbytes(20)))
    valid = base58check(b"\x00" + rnd.randbytes(20))
    print("BTC broken ", valid[:-1] + ("2" if valid[-1] != "2" else "3"))
    for _ in range(3):
        print("ETH        ", eth_address(rnd.randbytes(20)))
    valid = eth_address(rnd.randbytes(20))
    first_letter = next(i for i, c in enumerate(valid) if i > 1 and c.isalpha())
    print("ETH broken ", valid[:first_letter] + valid[first_letter].swapcase() + valid[first_letter + 1 :])
    for _ in range(2):
        print("TRX        ", base58check(b"\x41" + rnd.randbytes(20)))
    valid = base58check(b"\x41" + rnd.randbytes(20))
    print("TRX broken ", valid[:-1] + ("2" if valid[-1] != "2" else "3"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
