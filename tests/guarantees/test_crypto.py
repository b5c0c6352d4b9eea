"""The guarantee sign and field encryption, cross-checked against gmssl (an independent SM3/SM4) on random data."""
import base64
import os
import random
import string

import pytest
from gmssl import sm3 as gm_sm3
from gmssl import sm4 as gm_sm4

from procurement.kernel import crypto

ALPHABET = string.ascii_letters + string.digits + "天津市政府采购中心标段招标人（）-_.:/ "


def random_text(rng, size):
    return "".join(rng.choice(ALPHABET) for _ in range(size))


def gmssl_sign(params, appsecret):
    """The seed's rule written out independently: byte-order keys, no sign, no empty values, then appsecret."""
    keys = sorted((k for k, v in params.items() if k != "sign" and v), key=lambda k: k.encode("utf-8"))
    source = "&".join(f"{k}={params[k]}" for k in keys) + f"&appsecret={appsecret}"
    return gm_sm3.sm3_hash(list(source.encode("utf-8")))


@pytest.mark.parametrize("seed", range(20))
def test_the_sign_agrees_with_gmssl_on_random_messages(seed):
    rng = random.Random(seed)
    params = {random_text(rng, rng.randint(1, 12)).strip() or "k": random_text(rng, rng.randint(0, 200))
              for _ in range(rng.randint(1, 15))}
    params["Reason"], params["applyno"], params["empty"] = "理赔原因", "BH1", ""
    secret = random_text(rng, 32)

    assert crypto.guarantee_sign(params, secret) == gmssl_sign(params, secret)
    assert crypto.guarantee_sign_valid(params, secret, gmssl_sign(params, secret).upper())


def test_reason_sorts_before_applyno_and_empty_values_are_left_out():
    params = {"applyno": "BH1", "Reason": "r", "payeraccount": "", "sign": "ignored"}

    assert crypto.guarantee_sign_source(params, "s") == "Reason=r&applyno=BH1&appsecret=s"


@pytest.mark.parametrize("seed", range(10))
def test_sm4_field_encryption_agrees_with_gmssl_on_random_text(seed):
    rng = random.Random(seed)
    key = bytes(rng.getrandbits(8) for _ in range(16))
    text = random_text(rng, rng.randint(1, 300))
    reference = gm_sm4.CryptSM4()
    reference.set_key(key, gm_sm4.SM4_ENCRYPT)

    ours = crypto.sm4_encrypt(text, key.hex())

    assert base64.b64decode(ours) == bytes(reference.crypt_ecb(text.encode("utf-8")))
    reference.set_key(key, gm_sm4.SM4_DECRYPT)
    assert bytes(reference.crypt_ecb(base64.b64decode(ours))).decode("utf-8") == text
    assert crypto.sm4_decrypt(ours, base64.b64encode(key).decode()) == text


@pytest.mark.parametrize("size", [1, 4096, 65_537])
def test_sm3_of_random_bytes_agrees_with_gmssl(size):
    data = os.urandom(size)

    assert crypto.sm3_hex(data) == gm_sm3.sm3_hash(list(data))


def test_a_wrong_section_key_never_yields_plaintext():
    sealed = crypto.sm4_encrypt("施工一标段", crypto.new_sm4_key())

    with pytest.raises(crypto.CryptoError):
        crypto.sm4_decrypt(sealed, "00" * 16)


def test_the_worked_example_of_the_published_document():
    params = {"appkey": "bank1", "timestamp": "2026-03-01 09:00:00", "applyno": "BH1", "Reason": "r"}

    assert crypto.guarantee_sign_source(params, "s") == (
        "Reason=r&appkey=bank1&applyno=BH1&timestamp=2026-03-01 09:00:00&appsecret=s")
    assert crypto.guarantee_sign(params, "s") == "d753c2bc94332eb8c5743dfa686328b1f67c5dde1f2e94e1236d229f0c79ddee"
