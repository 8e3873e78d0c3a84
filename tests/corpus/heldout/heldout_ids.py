"""Checksummed identifiers for the held-out split: generator and validators, self-contained.

The held-out cases carry payment destinations whose validity depends on a checksum (IBAN mod 97
with the national check digits of ES/FR/IT/PL, Bitcoin base58check and bech32/bech32m, Ethereum
EIP-55, Tron base58check, Brazilian CPF used as a Pix key). The positives must be valid and the
hard negatives broken in exactly one character, so this module computes the checksums itself
(its own Keccak-256 too) and never borrows the engine's code or the dev corpus's helper.

    python tests/corpus/heldout/heldout_ids.py SEED     # prints one id of every kind for SEED

Every id is derived from sha256(kind + seed), so the same seed always gives the same id.
"""

from __future__ import annotations

import hashlib
import re
import sys

# --- Keccak-256 (the pre-SHA-3 padding that Ethereum uses) -------------------------------------

_ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)
_ROTATIONS = ((0, 36, 3, 41, 18), (1, 44, 10, 45, 2), (62, 6, 43, 15, 61), (28, 55, 25, 21, 56), (27, 20, 39, 8, 14))
_MASK64 = (1 << 64) - 1


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK64 if shift else value


def _keccak_f(lanes: list[list[int]]) -> list[list[int]]:
    for constant in _ROUND_CONSTANTS:
        columns = [lanes[x][0] ^ lanes[x][1] ^ lanes[x][2] ^ lanes[x][3] ^ lanes[x][4] for x in range(5)]
        mix = [columns[(x - 1) % 5] ^ _rotl(columns[(x + 1) % 5], 1) for x in range(5)]
        lanes = [[lanes[x][y] ^ mix[x] for y in range(5)] for x in range(5)]
        moved = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                moved[y][(2 * x + 3 * y) % 5] = _rotl(lanes[x][y], _ROTATIONS[x][y])
        lanes = [[moved[x][y] ^ (~moved[(x + 1) % 5][y] & moved[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        lanes[0][0] ^= constant
    return lanes


def _sponge(data: bytes, pad_byte: int, rate: int = 136, out_len: int = 32) -> bytes:
    padded = bytearray(data) + bytes([pad_byte])
    padded += bytes(-len(padded) % rate)
    padded[-1] |= 0x80
    lanes = [[0] * 5 for _ in range(5)]
    for block_start in range(0, len(padded), rate):
        block = padded[block_start:block_start + rate]
        for i in range(rate // 8):
            x, y = i % 5, i // 5
            lanes[x][y] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        lanes = _keccak_f(lanes)
    out = b"".join(lanes[i % 5][i // 5].to_bytes(8, "little") for i in range(25))
    return out[:out_len]


def keccak256(data: bytes) -> bytes:
    return _sponge(data, 0x01)


def sha3_256(data: bytes) -> bytes:
    """Same permutation with SHA-3 padding: lets a test compare it with hashlib.sha3_256."""
    return _sponge(data, 0x06)


# --- base58check (Bitcoin legacy, Tron) ----------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes | None:
    number = 0
    for char in text:
        if char not in _B58:
            return None
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def base58check(payload: bytes) -> str:
    return b58encode(payload + _sha256d(payload)[:4])


def base58check_payload(text: str) -> bytes | None:
    raw = b58decode(text)
    if raw is None or len(raw) < 5 or _sha256d(raw[:-4])[:4] != raw[-4:]:
        return None
    return raw[:-4]


# --- bech32 / bech32m (BIP 173, BIP 350) --------------------------------------------------------

_B32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST, _BECH32M_CONST = 1, 0x2BC830A3


def _polymod(values: list[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(generators):
            if (top >> i) & 1:
                checksum ^= generator
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data, from_bits: int, to_bits: int, pad: bool) -> list[int] | None:
    acc = bits = 0
    out = []
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & ((1 << to_bits) - 1))
    if pad and bits:
        out.append((acc << (to_bits - bits)) & ((1 << to_bits) - 1))
    elif not pad and (bits >= from_bits or (acc << (to_bits - bits)) & ((1 << to_bits) - 1)):
        return None
    return out


def segwit_address(version: int, program: bytes, hrp: str = "bc") -> str:
    data = [version] + _convert_bits(program, 8, 5, True)
    const = _BECH32_CONST if version == 0 else _BECH32M_CONST
    polymod = _polymod(_hrp_expand(hrp) + data + [0] * 6) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_B32[d] for d in data + checksum)


def is_valid_segwit(address: str) -> bool:
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, sep, rest = address.rpartition("1")
    if not sep or hrp != "bc" or len(rest) < 7 or any(c not in _B32 for c in rest):
        return False
    data = [_B32.index(c) for c in rest]
    version = data[0]
    const = _polymod(_hrp_expand(hrp) + data)
    if const != (_BECH32_CONST if version == 0 else _BECH32M_CONST) or version > 16:
        return False
    program = _convert_bits(data[1:-6], 5, 8, False)
    if program is None or not 2 <= len(program) <= 40:
        return False
    return version != 0 or len(program) in (20, 32)


# --- Ethereum EIP-55 -----------------------------------------------------------------------------

def eip55(address_hex: str) -> str:
    lower = address_hex.lower().removeprefix("0x")
    digest = keccak256(lower.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if c.isalpha() and int(digest[i], 16) >= 8 else c for i, c in enumerate(lower))


def is_valid_eip55(address: str) -> bool:
    """Mixed-case EIP-55 address whose case encodes its Keccak checksum (all-lower/all-upper: no checksum)."""
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", address):
        return False
    body = address[2:]
    if body == body.lower() or body == body.upper():
        return False
    return eip55(body) == address


# --- IBAN (ISO 13616 mod 97, plus the national check digits of ES, FR, IT, PL) ----------------

IBAN_LENGTHS = {
    "AE": 23, "BE": 16, "BR": 29, "DE": 22, "EG": 29, "ES": 24, "FR": 27, "GB": 22, "IT": 27,
    "NL": 18, "PK": 24, "PL": 28, "PT": 25, "SA": 24, "TR": 26, "UA": 29,
}


def _iban_number(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text))


def iban_check_digits(country: str, bban: str) -> str:
    return f"{98 - _iban_number(bban + country + '00') % 97:02d}"


def _es_digit(digits: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    value = 11 - sum(int(d) * w for d, w in zip(digits.rjust(10, "0"), weights)) % 11
    return str({10: 1, 11: 0}.get(value, value))


_RIB_LETTERS = {c: str(v) for v, letters in enumerate(("", "AJ", "BKS", "CLT", "DMU", "ENV", "FOW", "GPX", "HQY", "IRZ")) for c in letters}
_CIN_ODD = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23)


def _cin(body: str) -> str:
    total = 0
    for position, char in enumerate(body):
        index = int(char) if char.isdigit() else ord(char) - ord("A")
        total += _CIN_ODD[index] if position % 2 == 0 else index
    return chr(ord("A") + total % 26)


def _pl_sort_digit(first7: str) -> str:
    return str(-sum(int(d) * w for d, w in zip(first7, (3, 9, 7, 1, 3, 9, 7))) % 10)


def national_check_ok(iban: str) -> bool:
    country, bban = iban[:2], iban[4:]
    if country == "ES":
        return bban[8:10] == _es_digit(bban[0:8]) + _es_digit(bban[10:20])
    if country == "FR":
        numeric = "".join(_RIB_LETTERS.get(c, c) for c in bban)
        bank, branch, account, key = int(numeric[:5]), int(numeric[5:10]), int(numeric[10:21]), int(numeric[21:23])
        return key == 97 - (89 * bank + 15 * branch + 3 * account) % 97
    if country == "IT":
        return bban[0] == _cin(bban[1:])
    if country == "PL":
        return bban[7] == _pl_sort_digit(bban[:7])
    return True


def is_valid_iban(text: str) -> bool:
    iban = re.sub(r"[\s-]", "", text).upper()
    country = iban[:2]
    if IBAN_LENGTHS.get(country) != len(iban) or not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", iban):
        return False
    return _iban_number(iban[4:] + iban[:4]) % 97 == 1 and national_check_ok(iban)


# --- Brazilian CPF (a common Pix key) -----------------------------------------------------------

def _cpf_digit(digits: str) -> str:
    start = len(digits) + 1
    return str(sum(int(d) * (start - i) for i, d in enumerate(digits)) * 10 % 11 % 10)


def is_valid_cpf(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    return digits[9] == _cpf_digit(digits[:9]) and digits[10] == _cpf_digit(digits[:10])


# --- generator ----------------------------------------------------------------------------------

def _seed_bytes(kind: str, seed: str, length: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(f"{kind}:{seed}:{counter}".encode()).digest()
        counter += 1
    return out[:length]


def _seed_digits(kind: str, seed: str, count: int) -> str:
    return "".join(str(b % 10) for b in _seed_bytes(kind, seed, count))


def btc_p2pkh(seed: str) -> str:
    return base58check(b"\x00" + _seed_bytes("p2pkh", seed, 20))


def btc_p2sh(seed: str) -> str:
    return base58check(b"\x05" + _seed_bytes("p2sh", seed, 20))


def btc_segwit(seed: str) -> str:
    return segwit_address(0, _seed_bytes("p2wpkh", seed, 20))


def btc_taproot(seed: str) -> str:
    return segwit_address(1, _seed_bytes("p2tr", seed, 32))


def eth(seed: str) -> str:
    return eip55(_seed_bytes("eth", seed, 20).hex())


def trx(seed: str) -> str:
    return base58check(b"\x41" + _seed_bytes("trx", seed, 20))


def cpf(seed: str, formatted: bool = True) -> str:
    digits = _seed_digits("cpf", seed, 9)
    digits += _cpf_digit(digits)
    digits += _cpf_digit(digits)
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}" if formatted else digits


_BBAN_SHAPES = {  # country: (letters in the bank code, digits after them)
    "AE": (0, 19), "BE": (0, 12), "DE": (0, 18), "EG": (0, 25), "ES": (0, 20), "FR": (0, 23),
    "GB": (4, 14), "IT": (0, 22), "NL": (4, 10), "PK": (4, 16), "PL": (0, 24), "PT": (0, 21),
    "SA": (0, 20), "TR": (0, 22), "UA": (0, 25),
}


def _bban(country: str, seed: str) -> str:
    letters, digits = _BBAN_SHAPES[country]
    raw = _seed_bytes("bban-" + country, seed, letters)
    bban = "".join(chr(ord("A") + b % 26) for b in raw) + _seed_digits("bban-" + country, seed, digits)
    if country == "ES":
        bban = bban[:8] + _es_digit(bban[:8]) + _es_digit(bban[10:20]) + bban[10:20]
    elif country == "FR":
        bank, branch, account = int(bban[:5]), int(bban[5:10]), int(bban[10:21])
        bban = bban[:21] + f"{97 - (89 * bank + 15 * branch + 3 * account) % 97:02d}"
    elif country == "IT":
        bban = _cin(bban[:22]) + bban[:22]
    elif country == "PL":
        bban = bban[:7] + _pl_sort_digit(bban[:7]) + bban[8:]
    elif country == "TR":
        bban = bban[:5] + "0" + bban[6:]  # the reserved digit after the bank code
    return bban


def iban(country: str, seed: str, grouped: bool = True) -> str:
    bban = _bban(country, seed)
    compact = country + iban_check_digits(country, bban) + bban
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4)) if grouped else compact


_VALIDATORS = {
    "iban": is_valid_iban, "btc": lambda a: base58check_payload(a) is not None and base58check_payload(a)[:1] in (b"\0", b"\5"),
    "segwit": is_valid_segwit, "eth": is_valid_eip55, "trx": lambda a: (p := base58check_payload(a)) is not None and p[:1] == b"\x41",
    "cpf": is_valid_cpf,
}


_ALPHABETS = {"btc": _B58, "trx": _B58, "segwit": _B32, "eth": "0123456789abcdefABCDEF",
              "iban": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "cpf": "0123456789"}


def broken(value: str, kind: str) -> str:
    """The same id with one character (before the last) changed to another character of its own
    alphabet, so that it still looks like an id of that kind but its checksum no longer holds."""
    validator, alphabet = _VALIDATORS[kind], _ALPHABETS[kind]
    positions = [i for i, c in enumerate(value) if c.isalnum()][::-1]
    for i in positions[1:]:
        for replacement in alphabet:
            if replacement == value[i] or replacement.isdigit() != value[i].isdigit():
                continue
            if replacement.isalpha() and replacement.isupper() != value[i].isupper():
                continue
            candidate = value[:i] + replacement + value[i + 1:]
            if not validator(candidate):
                return candidate
    raise ValueError("no single-character break found")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-3].strip(), file=sys.stderr)
        return 2
    seed = argv[1]
    rows = [
        ("btc_p2pkh", btc_p2pkh(seed), "btc"), ("btc_p2sh", btc_p2sh(seed), "btc"),
        ("btc_segwit", btc_segwit(seed), "segwit"), ("btc_taproot", btc_taproot(seed), "segwit"),
        ("eth", eth(seed), "eth"), ("trx", trx(seed), "trx"), ("cpf", cpf(seed), "cpf"),
    ] + [(f"iban_{c}", iban(c, seed), "iban") for c in sorted(_BBAN_SHAPES)]
    for name, value, kind in rows:
        print(f"{name:12} {value}    broken: {broken(value, kind)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
