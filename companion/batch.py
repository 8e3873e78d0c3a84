"""Scanning past one machine, on Dask distributed (`pip install contact-guard[dask]`).

Two ways in, both giving the answers `contact-guard scan` gives (same dicts, same order):

    import dask.bag as db
    from companion.batch import analyze_bag

    messages = db.read_text("archive-*.jsonl").map(json.loads)   # {"id", "text", "surface"?, "allow"?}
    answers = analyze_bag(messages, surface="message")           # a lazy dask.bag.Bag
    answers.map(json.dumps).to_textfiles("answers-*.jsonl")      # or .compute()

Each answer is {"id", "verdict", "findings": [...]} with code-point offsets, or {"id", "error"} for
an item that cannot be checked (not a dict, no text, too long...): one bad item never fails the
partition. Plain strings are accepted as items too (id: their index in the partition is unknown to
Dask, so id is null).

    contact-guard scan archive.jsonl --dask tcp://scheduler:8786

reads the input on this machine and sends batches of lines to the cluster (`check_on_cluster`),
writing the answers in input order as they come back. The workers need contact-guard installed (the
same version); the analysis runs there, so the texts travel to the workers: use a cluster you
trust with the messages. Dask does the scheduling, retries and data movement; nothing here
schedules anything.
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from companion.scan import (BATCH_SIZE, Answered, LineError, Options, Record, UsageError, check, check_batch,
                            message_from_fields)

# Tasks in flight per worker thread: enough to keep every worker busy while answers are written.
IN_FLIGHT_PER_THREAD = 4
# Full batches (a file read 256 lines at a time) go to the cluster 8 to a task: the scheduler's cost
# is per task, and at one batch per task it was a third of the scan's CPU on a 2-core LocalCluster.
# A short batch (a live pipe's lines as they arrive, or the input's end) goes at once, never waiting.
BATCHES_PER_TASK = 8


def analyze_partition(items: Iterable[Any], surface: str = "message", allow: Iterable[str] = ()) -> list[dict]:
    """One Dask partition of messages -> its answers, in order."""
    answers = []
    allow = tuple(allow)
    for item in items:
        message_id = item.get("id") if isinstance(item, dict) else None
        try:
            fields = {"text": item} if isinstance(item, str) else item
            if not isinstance(fields, dict):
                raise LineError(f"expected a message object or a string, got {type(item).__name__}")
            message = message_from_fields(fields, surface, allow)
            report = check(message)
            answers.append({"id": message.id, "verdict": report.verdict,
                            "findings": [f.to_dict() for f in report.findings]})
        except LineError as exc:
            answers.append({"id": exc.message_id if exc.message_id is not None else message_id, "error": exc.reason})
    return answers


def analyze_bag(bag, *, surface: str = "message", allow: Iterable[str] = ()):
    """A dask.bag.Bag of messages -> a lazy Bag of answers, partition by partition."""
    return bag.map_partitions(analyze_partition, surface=surface, allow=tuple(allow))


def _tasks(work: Iterator[list[Record]]) -> Iterator[list[list[Record]]]:
    """Batches grouped into tasks: up to BATCHES_PER_TASK full batches; a short one ends its task."""
    task: list[list[Record]] = []
    for batch in work:
        task.append(batch)
        if len(task) == BATCHES_PER_TASK or len(batch) < BATCH_SIZE:
            yield task
            task = []
    if task:
        yield task


def _check_task(payload: bytes, options: Options) -> list[Answered]:
    # The task's batches travel as one pickled bytes object: Dask walks a task's arguments looking
    # for keys and futures, and 2,048 (line, bytes) records a task made that walk a cost on the client.
    return [check_batch(batch, options) for batch in pickle.loads(payload)]  # noqa: S301 - our own client's bytes


def check_on_cluster(address: str, work: Iterator[list[Record]], options: Options,
                     timeout: str = "20s") -> Iterator[Answered]:
    """`scan --dask`: batches of input records become tasks on the cluster at `address`; each
    batch's answers come back as output bytes and summary counts (`Answered`), yielded in input
    order, with a bounded number of tasks in flight."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--dask needs Dask distributed: pip install 'contact-guard[dask]'") from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        threads = sum(client.nthreads().values()) or 1
        in_flight: deque = deque()
        for task in _tasks(work):
            payload = pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
            in_flight.append(client.submit(_check_task, payload, options, pure=False))
            while len(in_flight) > threads * IN_FLIGHT_PER_THREAD:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
    finally:
        client.close()
