"""django-q2 task functions of the docking core: load by id, call a service, nothing else."""
from procurement.services.accounts import tokens_purge


def purge_tokens():
    return tokens_purge()
