"""companion.batch on a real Dask LocalCluster with several worker processes: `analyze_bag` and
`contact-guard scan --dask ADDRESS` give exactly what the single-process scan gives, in order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

dask_bag = pytest.importorskip("dask.bag", reason="needs contact-guard[dask]")
distributed = pytest.importorskip("distributed")

from companion.batch import BATCHES_PER_TASK, analyze_bag, analyze_partition, check_on_cluster  # noqa: E402
from companion.scan import BATCH_SIZE, Options, UsageError  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TEXTS = ["Thanks for the order!", "call me +1 415 555 0132", "mail me at john dot smith at gmail dot com",
         "zoom in on the logo", "add me on skype: live:cid.123abc", "We can only discuss this via Fiverr chat.",
         "pay me via paypal.me/annlee", "my whatsapp is +44 7700 900123"]


def messages(n: int) -> list[dict]:
    return [{"id": i, "text": f"{TEXTS[i % len(TEXTS)]} ({i})"} for i in range(n)]


def scan(*args: str, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", "scan", *args], input=stdin, capture_output=True,
                          cwd=REPO, timeout=120)


@pytest.fixture(scope="module")
def cluster():
    # ":0": the scheduler's HTTP server (started even without a dashboard) on a free port; None
    # still tries 8787, which another cluster on a shared machine may hold (a UserWarning).
    with distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as local, distributed.Client(local) as client:
        yield local, client


def test_scan_dask_matches_the_single_process_scan(cluster):
    local, client = cluster
    assert len(client.scheduler_info()["workers"]) == 3
    # more than 3 tasks (BATCHES_PER_TASK full batches each), so that every worker gets one
    lines = [json.dumps(m).encode() for m in messages(BATCH_SIZE * BATCHES_PER_TASK * 3 + 600)]
    lines[300] = b'{"id": "bad", "text": 42}'
    lines[450] = b"not json"
    stdin = b"\n".join(lines) + b"\n"
    single = scan(stdin=stdin)
    on_dask = scan("--dask", local.scheduler_address, stdin=stdin)
    assert on_dask.returncode == single.returncode == 1, on_dask.stderr
    assert on_dask.stdout == single.stdout
    assert on_dask.stderr.splitlines()[-1] == single.stderr.splitlines()[-1]  # the summary line
    answers = [json.loads(line) for line in on_dask.stdout.splitlines()]
    assert [a["id"] for a in answers[:300]] == list(range(300)) and answers[450]["line"] == 451
    # every worker process did some of it
    assert all(n > 0 for n in client.run(lambda: __import__("sys").modules.get("companion.scan") is not None).values())


def test_analyze_bag_matches_the_partition_function_and_the_scan(cluster):
    _, client = cluster
    items = messages(200) + ["a plain string: call me +1 415 555 0132", 42, {"id": "no-text"}]
    bag = dask_bag.from_sequence(items, npartitions=6)
    answers = analyze_bag(bag).compute(scheduler=client.get)
    assert answers == analyze_partition(items)
    assert [a["id"] for a in answers[:200]] == list(range(200))
    assert answers[200]["verdict"] == "block" and answers[200]["id"] is None
    assert "error" in answers[201] and "error" in answers[202] and answers[202]["id"] == "no-text"
    single = scan(stdin=b"".join(json.dumps(m).encode() + b"\n" for m in messages(200)))
    assert [json.loads(line) for line in single.stdout.splitlines()] == answers[:200]


def test_an_unreachable_scheduler_is_a_usage_error_naming_it():
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:1"):
        next(check_on_cluster("tcp://127.0.0.1:1", iter([[(1, b"{}")]]), Options(), timeout="1s"))


def test_full_batches_share_a_task_and_a_short_one_goes_at_once():
    # A short batch is what a live pipe had so far: it must not wait for more input in a task.
    from companion.batch import _tasks

    full, short = list(range(BATCH_SIZE)), [0]
    work = [full] * (BATCHES_PER_TASK + 2) + [short, full, short]
    assert [len(task) for task in _tasks(iter(work))] == [BATCHES_PER_TASK, 3, 2]
    assert [batch for task in _tasks(iter(work)) for batch in task] == work
