"""The app's settings plus one benchmark-only URL (bench.floor_urls): served by gunicorn in bench/customs.py."""
from procurement.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
