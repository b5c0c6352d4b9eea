"""Benchmark: verify and store a baohannotice with a 5 MB baohanfile; SM4 on 1 MB. Ours beside bare OpenSSL and gmssl.

Run: .venv/bin/python bench/guarantee_crypto.py   (prints its figures; target: ours within 1.3× of bare OpenSSL)
"""
import base64
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from cryptography.hazmat.primitives import hashes, padding  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402
from django.conf import settings  # noqa: E402
from gmssl import sm3 as gm_sm3  # noqa: E402
from gmssl import sm4 as gm_sm4  # noqa: E402

from guarantees.models import Guarantee  # noqa: E402
from guarantees.services.files import guarantee_file_decode, guarantee_file_store  # noqa: E402
from procurement.kernel import crypto  # noqa: E402
from procurement.kernel.wire import format_wire_time  # noqa: E402

FILE_BYTES = 5 * 1024 * 1024
SM4_BYTES = 1024 * 1024
GMSSL_SAMPLE = 128 * 1024  # gmssl is pure Python (~0.2 MB/s): timed on a sample, scaled to the full size
REPEAT = 5
SECRET = "bench-appsecret-0123456789abcdef"


def best(function, repeat=REPEAT):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def notice():
    pdf = b"%PDF-1.7\n" + os.urandom(FILE_BYTES - 9)
    params = {
        "appkey": "bench", "timestamp": format_wire_time(django.utils.timezone.now()), "applyno": "BH-BENCH",
        "baohanno": "SBH-BENCH", "baohanurl": "https://bank.example/b.pdf", "baohanfile": base64.b64encode(pdf).decode(),
        "payername": "天津示例建设工程有限公司", "payeraccount": "12050188000000001234", "generatetime": "2026-01-01 10:00:00",
        "rate": "0.0015", "cost": "100.00", "applystatus": "1",
    }
    params["sign"] = crypto.guarantee_sign(params, SECRET)
    return params


def bench_notice(media):
    params = notice()
    guarantee = Guarantee(applyno="BH-BENCH")
    source = crypto.guarantee_sign_source(params, SECRET).encode("utf-8")

    def ours():
        assert crypto.guarantee_sign_valid(params, SECRET, params["sign"])
        guarantee_file_store(guarantee, "cipher_file", guarantee_file_decode(params["baohanfile"]))

    def bare():
        digest = hashes.Hash(hashes.SM3())
        digest.update(source)
        assert digest.finalize().hex() == params["sign"]
        (media / "bare.pdf").write_bytes(base64.b64decode(params["baohanfile"]))

    sample = source[:GMSSL_SAMPLE]
    gmssl = best(lambda: gm_sm3.sm3_hash(list(sample)), repeat=1) * len(source) / len(sample)
    return len(source), best(ours), best(bare), gmssl


def bench_sm4():
    key = crypto.new_sm4_key()
    data = os.urandom(SM4_BYTES)
    raw_key = bytes.fromhex(key)
    sealed = crypto.sm4_encrypt_bytes(data, key)

    def ours():
        assert crypto.sm4_decrypt_bytes(crypto.sm4_encrypt_bytes(data, key), key) == data

    def bare():
        padder = padding.PKCS7(128).padder()
        encryptor = Cipher(algorithms.SM4(raw_key), modes.ECB()).encryptor()
        ciphertext = encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()
        decryptor = Cipher(algorithms.SM4(raw_key), modes.ECB()).decryptor()
        unpadder = padding.PKCS7(128).unpadder()
        plain = decryptor.update(ciphertext) + decryptor.finalize()
        assert unpadder.update(plain) + unpadder.finalize() == data

    def gmssl():
        cipher = gm_sm4.CryptSM4()
        cipher.set_key(raw_key, gm_sm4.SM4_ENCRYPT)
        cipher.crypt_ecb(data[:GMSSL_SAMPLE])
        cipher.set_key(raw_key, gm_sm4.SM4_DECRYPT)
        cipher.crypt_ecb(sealed[:GMSSL_SAMPLE])

    return best(ours), best(bare), best(gmssl, repeat=1) * SM4_BYTES / GMSSL_SAMPLE


def line(label, size, ours, bare, gmssl):
    mb = size / 1024 / 1024
    print(f"{label:<44} {mb:6.2f} MB  ours {ours * 1000:8.1f} ms  bare OpenSSL {bare * 1000:8.1f} ms  "
          f"ratio {ours / bare:4.2f}×  gmssl ≈{gmssl:7.1f} s (scaled from {GMSSL_SAMPLE // 1024} KiB)")


def main():
    with tempfile.TemporaryDirectory() as folder:
        settings.MEDIA_ROOT = folder
        size, ours, bare, gmssl = bench_notice(Path(folder))
        line("baohannotice: verify sign + decode + store", size, ours, bare, gmssl)
    ours, bare, gmssl = bench_sm4()
    line("SM4-ECB encrypt + decrypt", SM4_BYTES, ours, bare, gmssl)
    print(f"best of {REPEAT} runs each; target: ours within 1.3× of bare OpenSSL")


if __name__ == "__main__":
    main()
