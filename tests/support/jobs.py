"""What the job queue holds, read from whichever broker is configured (ORM table or Redis list)."""
from django_q.brokers import get_broker
from django_q.signing import SignedPackage


def queued_tasks():
    """[(func, args)] of every task waiting in the queue, oldest first."""
    broker = get_broker()
    if hasattr(broker.connection, "lrange"):  # Redis
        payloads = broker.connection.lrange(broker.list_key, 0, -1)
        payloads = [payload.decode() if isinstance(payload, bytes) else payload for payload in payloads]
    else:  # ORM: rows of the same database, visible inside the test's transaction
        payloads = list(broker.get_connection().filter(key=broker.list_key).order_by("id")
                        .values_list("payload", flat=True))
    return [(task["func"], tuple(task["args"])) for task in map(SignedPackage.loads, payloads)]


class QueueWatch:
    """Tasks enqueued since it was made (the Redis list outlives the tests' rolled-back transactions)."""

    def __init__(self):
        self.before = len(queued_tasks())

    def new(self, func=None):
        added = queued_tasks()[self.before:]
        return [args for name, args in added if func is None or name == func]
