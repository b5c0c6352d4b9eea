"""Every cryptographic operation of the project: SM3, SM4, SM2, HMAC-SM3, md5 signers, secrets at rest.

SM3 and SM4 go through OpenSSL (`cryptography`); gmssl is used only for SM2, where OpenSSL's
Python binding offers no SM2 signature.
"""
import base64
import binascii
import hashlib
import hmac as std_hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class CryptoError(ValueError):
    """A key, ciphertext or signature that cannot be used: never answered with garbage."""


def constant_time_equals(left, right):
    """Compare two signatures without leaking where they differ."""
    if isinstance(left, str):
        left = left.encode()
    if isinstance(right, str):
        right = right.encode()
    return std_hmac.compare_digest(left, right)


def _bytes(data):
    return data.encode("utf-8") if isinstance(data, str) else data


# --- SM3 -----------------------------------------------------------------------------------------

def sm3_digest(data):
    digest = hashes.Hash(hashes.SM3())
    digest.update(_bytes(data))
    return digest.finalize()


def sm3_hex(data):
    return sm3_digest(data).hex()


def hmac_sm3_hex(key, data):
    mac = crypto_hmac.HMAC(_bytes(key), hashes.SM3())
    mac.update(_bytes(data))
    return mac.finalize().hex()


# --- SM4 -----------------------------------------------------------------------------------------

SM4_KEY_BYTES = 16
_HEX_KEY_RE = re.compile(r"[0-9a-fA-F]{32}")


def new_sm4_key():
    """A fresh key as the 32 hex characters it travels as."""
    return os.urandom(SM4_KEY_BYTES).hex()


def parse_sm4_key(text):
    """A 16-byte key given as 32 hex characters or as Base64."""
    if isinstance(text, bytes):
        raw = text
    elif _HEX_KEY_RE.fullmatch(text or ""):
        raw = bytes.fromhex(text)
    else:
        try:
            raw = base64.b64decode(text or "", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CryptoError("SM4 密钥既不是 32 位十六进制也不是 Base64") from exc
    if len(raw) != SM4_KEY_BYTES:
        raise CryptoError(f"SM4 密钥应为 16 字节，实为 {len(raw)} 字节")
    return raw


def _sm4_mode(iv):
    if not iv:
        return modes.ECB()
    iv_bytes = parse_sm4_key(iv) if isinstance(iv, str) else iv
    if len(iv_bytes) != SM4_KEY_BYTES:
        raise CryptoError("SM4 CBC 的 iv 应为 16 字节")
    return modes.CBC(iv_bytes)


def sm4_encrypt_bytes(plaintext, key, iv=None):
    padder = padding.PKCS7(128).padder()
    padded = padder.update(_bytes(plaintext)) + padder.finalize()
    encryptor = Cipher(algorithms.SM4(parse_sm4_key(key)), _sm4_mode(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def sm4_decrypt_bytes(ciphertext, key, iv=None):
    if not ciphertext or len(ciphertext) % 16:
        raise CryptoError("SM4 密文长度不是 16 的整数倍")
    decryptor = Cipher(algorithms.SM4(parse_sm4_key(key)), _sm4_mode(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise CryptoError("SM4 解密失败：密钥错误或密文被篡改（填充无效）") from exc


def sm4_encrypt(plaintext, key, iv=None):
    """UTF-8 text → Base64 ciphertext (ECB/PKCS#7, or CBC when an iv is given)."""
    return base64.b64encode(sm4_encrypt_bytes(plaintext, key, iv)).decode("ascii")


def sm4_decrypt(ciphertext_b64, key, iv=None):
    """Base64 ciphertext → UTF-8 text; a wrong key or bad padding raises CryptoError."""
    try:
        raw = base64.b64decode(ciphertext_b64 or "", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("SM4 密文不是合法的 Base64") from exc
    plaintext = sm4_decrypt_bytes(raw, key, iv)
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CryptoError("SM4 解密结果不是 UTF-8 文本：密钥错误") from exc


# --- guarantee sign (seed 003): SM3 over ASCII-sorted k=v&… plus the appsecret -------------------

def _guarantee_sign_parts(params, appsecret):
    # Code-point order equals the byte order of UTF-8 keys: "Reason" sorts before "applyno".
    pairs = sorted((k, v) for k, v in params.items() if k != "sign" and v not in (None, ""))
    for k, v in pairs:
        yield f"{k}="
        yield v if isinstance(v, str) else str(v)  # the text sent: senders pass strings, numbers as written
        yield "&"
    yield f"appsecret={appsecret}"


def guarantee_sign_source(params, appsecret):
    return "".join(_guarantee_sign_parts(params, appsecret))


def guarantee_sign(params, appsecret):
    # Hashed part by part: a notice carries a 5 MB Base64 file, and joining it into one string with
    # non-ASCII values would widen and copy it twice before hashing.
    digest = hashes.Hash(hashes.SM3())
    for part in _guarantee_sign_parts(params, appsecret):
        digest.update(_bytes(part))
    return digest.finalize().hex()


def guarantee_sign_valid(params, appsecret, sign):
    return isinstance(sign, str) and constant_time_equals(guarantee_sign(params, appsecret), sign.lower())


# --- Qimen (seed 002) and 旺店通 openapi2 md5 signs ------------------------------------------------

def qimen_sign(params, secret):
    pairs = sorted((k, str(v)) for k, v in params.items() if k != "sign" and v not in (None, ""))
    source = secret + "".join(k + v for k, v in pairs) + secret
    return hashlib.md5(source.encode("utf-8")).hexdigest().upper()


def wdt_sign(params, appsecret):
    pairs = sorted((k, str(v)) for k, v in params.items() if k != "sign")
    source = ";".join("%02d-%s:%04d-%s" % (len(k), k, len(v), v) for k, v in pairs)  # noqa: UP031 - as published
    return hashlib.md5((source + appsecret).encode("utf-8")).hexdigest()


# --- SM2 (customs software signer) ---------------------------------------------------------------

def _sm2(private_key_hex="", public_key_hex=""):
    from gmssl import sm2

    signer = sm2.CryptSM2(private_key=private_key_hex, public_key="")
    # CryptSM2 strips every leading "0"/"4" character of the public key ("04…" prefix handling);
    # set the 128-hex point ourselves.
    signer.public_key = _sm2_public_point(public_key_hex) if public_key_hex else ""
    return signer


def _sm2_public_point(public_key_hex):
    key = public_key_hex.lower()
    if len(key) == 130 and key.startswith("04"):
        key = key[2:]
    if len(key) != 128:
        raise CryptoError("SM2 公钥应为 64 字节（128 位十六进制，可带 04 前缀）")
    return key


def sm2_generate_keypair():
    """(private key hex, public key hex with 04 prefix)."""
    from gmssl import sm2

    curve = sm2.CryptSM2(private_key="", public_key="")
    order = int(curve.ecc_table["n"], 16)
    private_key = "%064x" % (1 + int.from_bytes(os.urandom(40), "big") % (order - 2))
    return private_key, sm2_public_key(private_key)


_SM2_PRIVATE_KEY_RE = re.compile(r"[0-9a-fA-F]{64}")


def sm2_public_key(private_key_hex):
    """The public key (hex, 04 prefix) of a private key given as 64 hex characters."""
    from gmssl import sm2

    curve = sm2.CryptSM2(private_key="", public_key="")
    if not _SM2_PRIVATE_KEY_RE.fullmatch(private_key_hex or ""):
        raise CryptoError("SM2 私钥应为 64 位十六进制")
    scalar = int(private_key_hex, 16)
    if not 0 < scalar < int(curve.ecc_table["n"], 16) - 1:
        raise CryptoError("SM2 私钥超出曲线阶的范围")
    return "04" + curve._kg(scalar, curve.ecc_table["g"])


_SM2_DEFAULT_USER_ID = b"1234567812345678"


def _sm2_digest(data, curve):
    """e = SM3(Z || M), Z over the default user id, the curve and the public key (GB/T 32918.2).

    What gmssl's sign_with_sm3 / verify_with_sm3 compute, with SM3 done by OpenSSL: gmssl's pure-Python
    SM3 cost more than the curve arithmetic itself on a payment upload.
    """
    table = curve.ecc_table
    user_id_bits = (len(_SM2_DEFAULT_USER_ID) * 8).to_bytes(2, "big")
    z = sm3_digest(user_id_bits + _SM2_DEFAULT_USER_ID
                   + bytes.fromhex(table["a"] + table["b"] + table["g"] + curve.public_key))
    return sm3_digest(z + _bytes(data))


def sm2_sign(data, private_key_hex, public_key_hex):
    """SM2 with SM3 (Z value with the default user id) → 64-byte r||s."""
    signer = _sm2(private_key_hex, public_key_hex)
    digest = _sm2_digest(data, signer)
    order = int(signer.ecc_table["n"], 16)
    while True:  # a random k that yields r = 0 or s = 0 is discarded, as the standard says
        random_k = "%064x" % (1 + int.from_bytes(os.urandom(40), "big") % (order - 1))
        signature = signer.sign(digest, random_k)
        if signature:
            return bytes.fromhex(signature)


def sm2_verify(data, signature, public_key_hex):
    if len(signature) != 64:
        return False
    verifier = _sm2("", public_key_hex)
    try:
        return bool(verifier.verify(signature.hex(), _sm2_digest(data, verifier)))
    except (ValueError, TypeError, ZeroDivisionError):
        return False


# --- secrets at rest: SM4-GCM with rotating keys -------------------------------------------------

_SECRET_PREFIX = "sm4gcm1"


def _key_id(key):
    return sm3_hex(key)[:8]


def _secret_keys():
    from django.conf import settings

    return [parse_sm4_key(k) for k in settings.FIELD_ENCRYPTION_KEYS]


def encrypt_secret(plaintext):
    key = _secret_keys()[0]
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    sealed = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize() + encryptor.tag
    return f"{_SECRET_PREFIX}:{_key_id(key)}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt_secret(token):
    try:
        prefix, key_id, payload = token.split(":", 2)
        raw = base64.b64decode(payload, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise CryptoError("无法识别的加密数据") from exc
    if prefix != _SECRET_PREFIX:
        raise CryptoError("无法识别的加密数据")
    for key in _secret_keys():
        if _key_id(key) == key_id:
            nonce, sealed, tag = raw[:12], raw[12:-16], raw[-16:]
            decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
            try:
                return (decryptor.update(sealed) + decryptor.finalize()).decode("utf-8")
            except InvalidTag as exc:
                raise CryptoError("加密数据已损坏") from exc
    raise CryptoError("加密数据所用的密钥不在 FIELD_ENCRYPTION_KEYS 中")
