"""crypto.py against published test vectors, and against gmssl as an independent implementation."""
import base64
import os
import random

import pytest
from gmssl import sm2 as gm_sm2
from gmssl import sm3 as gm_sm3
from gmssl import sm4 as gm_sm4

from procurement.kernel import crypto

# GB/T 32905-2016 appendix A and GB/T 32907-2016 appendix A.
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
SM4_KEY = "0123456789abcdeffedcba9876543210"
SM4_BLOCK_CIPHERTEXT = "681edf34d206965e86b3e94f536e4246"


def test_sm3_matches_the_standard_vector():
    assert crypto.sm3_hex("abc") == SM3_ABC


@pytest.mark.parametrize("size", [0, 1, 55, 64, 1000, 70_001])
def test_sm3_agrees_with_gmssl_on_random_data(size):
    data = os.urandom(size)

    assert crypto.sm3_hex(data) == gm_sm3.sm3_hash(list(data))


def test_sm4_matches_the_standard_vector():
    block = bytes.fromhex(SM4_KEY)

    sealed = crypto.sm4_encrypt_bytes(block, SM4_KEY)

    assert sealed[:16].hex() == SM4_BLOCK_CIPHERTEXT


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 4096])
def test_sm4_ecb_agrees_with_gmssl_on_random_data(size):
    key = os.urandom(16)
    text = os.urandom(size)
    reference = gm_sm4.CryptSM4()
    reference.set_key(key, gm_sm4.SM4_ENCRYPT)

    ours = crypto.sm4_encrypt_bytes(text, key.hex())

    assert ours == bytes(reference.crypt_ecb(text))
    assert crypto.sm4_decrypt_bytes(ours, key.hex()) == text


def test_sm4_cbc_agrees_with_gmssl():
    key, iv, text = os.urandom(16), os.urandom(16), os.urandom(100)
    reference = gm_sm4.CryptSM4()
    reference.set_key(key, gm_sm4.SM4_ENCRYPT)

    ours = crypto.sm4_encrypt_bytes(text, key.hex(), iv=iv)

    assert ours == bytes(reference.crypt_cbc(iv, text))
    assert crypto.sm4_decrypt_bytes(ours, key.hex(), iv=iv) == text


def test_sm4_text_round_trip_with_a_base64_key():
    key = base64.b64encode(os.urandom(16)).decode()

    sealed = crypto.sm4_encrypt("天津市政府采购中心 A0101 标段", key)

    assert crypto.sm4_decrypt(sealed, key) == "天津市政府采购中心 A0101 标段"
    base64.b64decode(sealed, validate=True)


def test_sm4_with_a_wrong_key_is_an_error_never_garbage():
    sealed = crypto.sm4_encrypt("招标人：天津市某某局", crypto.new_sm4_key())
    failures = 0
    for _ in range(50):
        try:
            crypto.sm4_decrypt(sealed, crypto.new_sm4_key())
        except crypto.CryptoError:
            failures += 1

    assert failures == 50


@pytest.mark.parametrize("ciphertext", ["not base64!", base64.b64encode(b"short").decode(), ""])
def test_sm4_unusable_ciphertext_is_an_error(ciphertext):
    with pytest.raises(crypto.CryptoError):
        crypto.sm4_decrypt(ciphertext, crypto.new_sm4_key())


@pytest.mark.parametrize("key", ["0123", "zz" * 16, base64.b64encode(b"x" * 15).decode()])
def test_sm4_keys_of_the_wrong_size_or_form_are_refused(key):
    with pytest.raises(crypto.CryptoError):
        crypto.parse_sm4_key(key)


def test_guarantee_sign_source_sorts_by_byte_order_and_leaves_out_sign_and_empty_values():
    params = {"applyno": "A1", "Reason": "逾期", "appkey": "K", "sign": "zzz", "zbrorgnum": "", "bzjamount": "20000.00"}

    source = crypto.guarantee_sign_source(params, "SECRET")

    assert source == "Reason=逾期&appkey=K&applyno=A1&bzjamount=20000.00&appsecret=SECRET"


def test_guarantee_sign_is_lowercase_sm3_of_the_source_and_verifies():
    params = {"appkey": "K", "timestamp": "2026-11-23 10:00:00", "applyno": "A1"}

    sign = crypto.guarantee_sign(params, "SECRET")

    assert sign == gm_sm3.sm3_hash(list(crypto.guarantee_sign_source(params, "SECRET").encode()))
    assert crypto.guarantee_sign_valid({**params, "sign": sign}, "SECRET", sign)
    assert crypto.guarantee_sign_valid(params, "SECRET", sign.upper())
    assert not crypto.guarantee_sign_valid({**params, "applyno": "A2"}, "SECRET", sign)


def test_qimen_sign_is_uppercase_md5_with_the_secret_on_both_sides():
    import hashlib

    params = {"method": "wdt.trade.query", "app_key": "k", "v": "2.0", "sign": "x", "empty": ""}

    expected = hashlib.md5(b"sapp_keykmethodwdt.trade.queryv2.0s").hexdigest().upper()
    assert crypto.qimen_sign(params, "s") == expected


def test_wdt_sign_counts_characters_not_bytes():
    import hashlib

    params = {"sid": "天津", "appkey": "k"}

    expected = hashlib.md5("06-appkey:0001-k;03-sid:0002-天津secret".encode()).hexdigest()
    assert crypto.wdt_sign(params, "secret") == expected


def test_sm2_signature_verifies_with_gmssl_directly():
    private_key, public_key = crypto.sm2_generate_keypair()
    data = b'"sessionID":"fe2374"||"serviceTime":"1533271903898"'

    signature = crypto.sm2_sign(data, private_key, public_key)

    verifier = gm_sm2.CryptSM2(private_key="", public_key=public_key[2:])
    assert verifier.verify_with_sm3(signature.hex(), data)
    assert crypto.sm2_verify(data, signature, public_key)
    assert not crypto.sm2_verify(data + b"x", signature, public_key)


def test_sm2_public_keys_starting_with_04_after_the_prefix_survive():
    # gmssl's own constructor would strip those leading characters and corrupt the key.
    rng = random.Random(7)
    for _ in range(400):
        private_key, public_key = crypto.sm2_generate_keypair()
        if public_key[2] in "04":
            break
    else:
        pytest.fail("no key with a 0/4 prefix found")
    data = bytes(rng.getrandbits(8) for _ in range(64))

    assert gm_sm2.CryptSM2(private_key="", public_key=public_key).public_key != public_key[2:]
    assert crypto.sm2_verify(data, crypto.sm2_sign(data, private_key, public_key), public_key)


def test_secrets_at_rest_round_trip_and_rotate(settings):
    old_key, new_key = crypto.new_sm4_key(), crypto.new_sm4_key()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    sealed_with_old = crypto.encrypt_secret("电商平台密码")

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    assert crypto.decrypt_secret(sealed_with_old) == "电商平台密码"
    assert crypto.decrypt_secret(crypto.encrypt_secret("x")) == "x"
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt_secret(sealed_with_old)


def test_tampered_secrets_are_detected():
    sealed = crypto.encrypt_secret("password")
    prefix, key_id, payload = sealed.split(":")
    raw = bytearray(base64.b64decode(payload))
    raw[14] ^= 1

    with pytest.raises(crypto.CryptoError):
        crypto.decrypt_secret(f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}")
