"""Each unit page opens with its objectives and closes with a summary and 4–6 questions
(predict the output, spot the bug, compute by hand) whose answers are collapsed, in both languages."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

DOCS = ROOT / "site" / "docs"
WORDS = {
    "en": {
        "objectives": '!!! abstract "What you will be able to do"',
        "summary": "## Summary",
        "questions": "## Check yourself",
        "tasks": "## Your tasks",
        "answer": '??? success "Answer"',
        "kinds": ("Predict the output", "Spot the bug", "Compute by hand"),
    },
    "zh": {
        "objectives": '!!! abstract "学完本单元，你将能够"',
        "summary": "## 小结",
        "questions": "## 自测题",
        "tasks": "## 你的任务",
        "answer": '??? success "答案"',
        "kinds": ("预测输出", "找出错误", "动手计算"),
    },
}
QUESTION = re.compile(r'^\?\?\?\+ question "(\d+) · ([^"]+)"$', re.M)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_unit_page_has_objectives_a_summary_and_questions(lang, course):
    words = WORDS[lang]
    for module in course.modules:
        text = (DOCS / lang / "units" / f"{module}.md").read_text(encoding="utf-8")
        lines = text.splitlines()
        where = f"{lang}/units/{module}.md"
        first_section = next(number for number, line in enumerate(lines) if line.startswith("## "))
        assert words["objectives"] in lines[:first_section], f"{where}: no objectives before the first section"
        objectives = lines.index(words["objectives"])
        items = [line for line in lines[objectives + 1 : first_section] if line.startswith("    - ")]
        assert len(items) >= 3, f"{where}: only {len(items)} objectives"
        sections = [line for line in lines if line.startswith("## ")]
        assert sections[-3:] == [words["summary"], words["questions"], words["tasks"]], (
            f"{where}: the page must end with summary, questions, tasks; its last sections are {sections[-3:]}"
        )
        summary = text.split(words["summary"])[1].split(words["questions"])[0]
        assert summary.count("\n- ") >= 3, f"{where}: the summary has fewer than 3 points"
        questions = text.split(words["questions"])[1].split(words["tasks"])[0]
        found = QUESTION.findall(questions)
        assert 4 <= len(found) <= 6, f"{where}: {len(found)} questions"
        assert [int(number) for number, _ in found] == list(range(1, len(found) + 1)), where
        assert {kind for _, kind in found} == set(words["kinds"]), f"{where}: kinds {sorted({k for _, k in found})}"
        for block in QUESTION.split(questions)[3::3]:
            assert f"    {words['answer']}" in block, f"{where}: a question without a collapsed answer"


def test_the_questions_and_answers_are_collapsible_in_the_built_page(built_site, course):
    for lang, root in (("en", built_site), ("zh", built_site / "zh")):
        for module in course.modules:
            html = (root / "units" / module / "index.html").read_text(encoding="utf-8")
            questions = html.count('<details class="question" open="open">')
            answers = html.count('<details class="success">')
            assert questions >= 4 and answers >= questions, (lang, module, questions, answers)
            assert '<div class="admonition abstract">' in html, (lang, module)


pytest_plugins = ["tests.site_fixtures"]
