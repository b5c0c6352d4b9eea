"""Running a docking run to its end in the test's thread, and reading its verdicts."""
from procurement.docking.services import run_execute, run_start


def run_to_end(supplier, via="staff", **options):
    run = run_start(supplier, via=via, enqueue_job=False, **options)
    return run_execute(run.pk)


def verdicts(run):
    return dict(run.cases.values_list("name", "verdict"))


def failing(run):
    return {name for name, verdict in verdicts(run).items() if verdict == "failed"}


def not_run(run):
    return {name for name, verdict in verdicts(run).items() if verdict == "skipped"}
