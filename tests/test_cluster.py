"""`grader grade --cluster`: a real Dask `LocalCluster` of two worker processes grades the class
with the same results as a local run, the coordinator alone writes the gradebook, and a
worker killed mid-run costs nothing (its submissions are graded again elsewhere)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from distributed import Client, LocalCluster

import grader.batch as batch
from tests.conftest import EXERCISES, ROOT, all_mutants, make_submission

STUDENTS = 6


def table(database, query):
    with sqlite3.connect(database) as connection:
        return sorted(connection.execute(query))


def comparable(results_dir):
    """What a run decided, without what depends on the machine (run times, when)."""
    database = results_dir / "gradebook.sqlite"
    grades = table(database, "SELECT student, task, points, max_points, status, feedback FROM grades")
    checks = table(database, "SELECT student, task, position, name, weight, passed, mistake, hidden FROM checks")
    students = table(database, "SELECT student, files_hash, score, status FROM submissions")
    results = {}
    for (student,) in table(database, "SELECT student FROM submissions"):
        data = json.loads((results_dir / "students" / student / "results.json").read_text(encoding="utf-8"))
        data.pop("execution_time")
        results[student] = data
    return grades, checks, students, results, (results_dir / "grades.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    folder = root / "submissions"
    mutants = [(module, mutant) for module, mutant in all_mutants()]
    for number in range(STUDENTS):
        if number % 3 == 0:
            make_submission(folder / f"student{number}")
        elif number % 3 == 1:
            module, mutant = mutants[number * 7 % len(mutants)]
            make_submission(folder / f"student{number}", {module: textwrap.dedent(mutant.source)})
        else:
            make_submission(folder / f"student{number}", base=EXERCISES)
    return root, folder


@pytest.fixture(scope="module")
def local_run(course, submissions):
    root, folder = submissions
    batch.main(folder, root / "local", course, workers=1)
    return comparable(root / "local")


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, memory_limit="3GiB",
        silence_logs=50,
    ) as local_cluster:  # fmt: skip
        yield local_cluster


def test_a_cluster_grades_as_a_local_run(course, submissions, local_run, cluster):
    root, folder = submissions
    report = batch.main(folder, root / "on-cluster", course, cluster=cluster.scheduler_address)
    assert report.where == cluster.scheduler_address and report.workers == 2
    assert report.graded == STUDENTS and report.errors == []
    assert comparable(root / "on-cluster") == local_run


def test_a_killed_worker_s_submissions_are_graded_again(course, submissions, local_run, cluster):
    root, folder = submissions
    out = root / "killed"
    with Client(cluster.scheduler_address) as client:
        client.wait_for_workers(2, timeout=120)
        pids = client.run(os.getpid)
    finished = {}

    def grade():
        finished["report"] = batch.main(folder, out, course, cluster=cluster.scheduler_address)

    thread = threading.Thread(target=grade)
    thread.start()
    database = out / "gradebook.sqlite"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and thread.is_alive():
        try:
            if database.exists() and table(database, "SELECT count(*) FROM submissions")[0][0] >= 1:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    assert thread.is_alive(), "the batch ended before a worker could be killed"
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)  # mid-run: it holds a submission, or is about to take one
    thread.join(timeout=600)
    assert not thread.is_alive()
    report = finished["report"]
    assert report.graded == STUDENTS and report.errors == []
    assert comparable(out) == local_run


def test_an_unreachable_scheduler_is_a_bilingual_usage_error(submissions, tmp_path):
    _, folder = submissions
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": ""}
    run = subprocess.run(
        [sys.executable, "-m", "grader", "grade", str(folder), "--out", str(tmp_path / "out"), "--cluster", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Cannot reach the Dask scheduler" in run.stderr and "无法连接" in run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_a_port_where_no_scheduler_answers_is_a_usage_error_not_a_hang(monkeypatch):
    """Another program on the scheduler's port accepts and says nothing: Dask's handshake would wait for ever."""
    import socket

    from grader.batch import BatchError, cluster

    def connect():
        try:
            cluster.connect(address)
        except BatchError as error:
            found["error"] = error

    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    found = {}
    with socket.create_server(("127.0.0.1", 0)) as silent:
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        attempt = threading.Thread(target=connect, daemon=True)
        attempt.start()
        attempt.join(30)  # the bound is 1.5 s; a connect that never returns fails here instead of hanging the suite
        assert not attempt.is_alive(), "grader grade --cluster still waits for a server that never answers"
    error = found["error"]
    assert error.key == "batch_cluster_unreachable"
    assert error.params["address"] == address and "TimeoutError" in error.params["reason"]
