"""The django-q2 job queue as request paths use it: one broker per process, and tasks packed in advance.

A broker made per task (django-q's default when none is passed) opens a new Redis connection pool each
time; one per process keeps the connection. `task_package` gives the signed package django-q would
push, so a hot path can write it into the ORM broker's table in the same statement as its data.

django-q is imported inside the functions: this module is imported while models load.
"""
import functools

from django.conf import settings


@functools.cache
def job_broker():
    """This process's broker."""
    from django_q.brokers import get_broker

    return get_broker()


def queue_in_database():
    """True when the queue is a table of the default database (the ORM broker, the embedded default)."""
    return settings.Q_CLUSTER.get("orm") == "default"


def enqueue(task_path, *args, **options):
    """Push `task_path(*args)` now, through this process's broker."""
    from django_q.tasks import async_task

    return async_task(task_path, *args, broker=job_broker(), **options)


def task_package(task_path, *args, **options):
    """The signed package `async_task(task_path, *args)` would enqueue, built by django-q itself."""
    from django_q.conf import Conf
    from django_q.tasks import async_task

    packer = _packer_class()(list_key=Conf.CLUSTER_NAME)
    async_task(task_path, *args, broker=packer, **options)
    return packer.package


@functools.cache
def _packer_class():
    from django_q.brokers import Broker

    class Packer(Broker):
        """Keeps the package handed to it instead of pushing it anywhere."""

        package = None

        def enqueue(self, task):
            self.package = task
            return "(packed, written with the data)"

    return Packer
