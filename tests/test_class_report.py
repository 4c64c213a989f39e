"""`grader report RESULTS_DIR`: the class report, from the gradebook's structured results,
in both languages, opened in a real headless Chromium (offline) with a screenshot."""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from grader.batch.gradebook import Gradebook
from tests.conftest import EXERCISES, ROOT, all_mutants, make_submission

pytest_plugins = ["tests.site_fixtures"]  # the browser and the screenshots folder


def grader(*args):
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, env=environment, cwd=ROOT, timeout=900)


def mutant(task_id: str, index: int = 0):
    found = [(module, m) for module, m in all_mutants() if m.task == task_id]
    return found[index]


@pytest.fixture(scope="module")
def results(course, tmp_path_factory):
    """A small class: two right, two with the same named mistake in 4.3, a stub, a broken zip."""
    root = tmp_path_factory.mktemp("report")
    submissions = root / "submissions"
    make_submission(submissions / "ada")
    make_submission(submissions / "ben")
    module, wrong = mutant("4.3")
    for student in ("cy", "dot"):
        make_submission(submissions / student, {module: textwrap.dedent(wrong.source)})
    shutil.copytree(EXERCISES, submissions / "eve")
    (submissions / "fay.zip").write_bytes(b"not a zip at all")
    out = root / "results"
    run = grader("grade", str(submissions), "--out", str(out))
    assert run.returncode == 1, run.stdout + run.stderr
    return out, wrong


def test_the_gradebook_holds_each_check_with_its_mistake_key(course, results):
    out, wrong = results
    with Gradebook(out / "gradebook.sqlite") as gradebook:
        checks = gradebook.check_rows()
    assert {student for student, *_ in checks} == {"ada", "ben", "cy", "dot", "eve"}
    cy = [row for row in checks if row[0] == "cy" and row[1] == "4.3"]
    assert cy and all(weight > 0 for _, _, _, weight, _, _, _ in cy)
    keys = {key for _, _, _, _, passed, key, _ in cy if not passed}
    assert keys and all(re.fullmatch(r"[a-z0-9_]+", key) for key in keys)
    assert all(key == "" for _, _, _, _, passed, key, _ in checks if passed)
    eve = {key for student, _, _, _, passed, key, _ in checks if student == "eve" and not passed}
    assert eve == {"not_implemented"}
    # The points per task are the weights of the passed checks, scaled to the task's points.
    ada = [row for row in checks if row[0] == "ada"]
    assert all(passed for *_, passed, _, _ in ada)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_html_and_markdown(course, results, lang):
    out, _ = results
    run = grader("report", str(out), "--lang", lang)
    assert run.returncode == 0, run.stdout + run.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert page.count("<svg") == 2  # the histogram and the task rates, inline
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page), "the page loads something from outside"
    assert "<script" not in page
    with Gradebook(out / "gradebook.sqlite") as gradebook:
        cy_keys = [key for student, task, _, _, passed, key, _ in gradebook.check_rows() if student == "cy" and task == "4.3" and not passed]
    assert f"<code>{cy_keys[0]}</code>" in page and f"`{cy_keys[0]}`" in markdown
    assert "fay" in page and "fay" in markdown  # the student whose work could not be read
    if lang == "zh":
        assert '<html lang="zh-CN">' in page
        for words in ("全班报告", "分数分布", "最常见的错误", "最慢的任务", "评分出错的学生"):
            assert words in page and words in markdown
        assert "Most common mistakes" not in page
    else:
        for words in ("class report", "Scores", "Most common mistakes", "Slowest tasks", "Students whose grading failed"):
            assert words in page and words in markdown
    # Per task: pass / partial / fail rates. 4.3: two passed, two partial or failed, one not implemented, one not graded.
    row = next(line for line in markdown.splitlines() if line.startswith("| 4.3 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[0] == "4.3" and cells[3] == "33%" and cells[6:8] == ["17%", "17%"]
    assert sorted(cells[4:6]) == ["0%", "33%"]  # both mistaken students alike: partial, or failed


def test_report_of_a_missing_gradebook_is_a_bilingual_usage_error(tmp_path):
    run = grader("report", str(tmp_path))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "holds no gradebook" in run.stderr and "没有成绩册" in run.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_in_headless_chromium(results, browser, screenshots, lang):
    out, _ = results
    run = grader("report", str(out), "--lang", lang)
    assert run.returncode == 0, run.stdout + run.stderr
    url = (out / "report.html").as_uri()
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    problems = []

    def only_the_file(route):
        if route.request.url == url:
            route.continue_()
        else:
            problems.append(f"request outside the page: {route.request.url}")
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.goto(url, wait_until="load")
    figures = page.locator(".figure svg")
    assert figures.count() == 2
    for index in range(2):
        box = figures.nth(index).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, box
    assert page.locator("h1").inner_text().endswith("全班报告" if lang == "zh" else "class report")
    assert page.locator("table").count() >= 4
    shot = screenshots / f"class-report-{lang}.png"
    page.screenshot(path=shot, full_page=True)
    context.close()
    assert shot.stat().st_size > 20_000
    assert problems == []


def test_results_json_per_student_matches_the_gradebook(results):
    out, _ = results
    with Gradebook(out / "gradebook.sqlite") as gradebook:
        for row in gradebook.submissions():
            data = json.loads((out / "students" / row.student / "results.json").read_text(encoding="utf-8"))
            assert data["score"] == row.score
