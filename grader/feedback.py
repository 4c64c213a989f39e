"""Turn check results into sentences in the student's language."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.checks.kit import CheckFailure
from grader.grading import TaskResult
from grader.messages import text


@dataclass(frozen=True)
class Feedback:
    message: str  # what is wrong
    advice: str  # the one next step


_TYPE_MESSAGES = ("wrong_type", "wrong_item_type")


def english_article(noun: object) -> str:
    """'an int', 'a float', 'None': type names read as English."""
    text = str(noun)
    if text in ("None", "") or text.startswith(("a ", "an ")):
        return text
    return ("an " if text[0].lower() in "aeiou" else "a ") + text


# The words `grader.scenarios.describe` and the checks use for a kind of value, in English;
# other languages say them in their own words around the same code.
_VALUE_WORDS = (
    (re.compile(r"^tensor of shape (\(.*\)) and dtype (\w+)$"), "value_tensor"),
    (re.compile(r"^(\w+) of length (\d+)$"), "value_of_length"),
    (re.compile(r"^list of floats$"), "value_list_of_floats"),
)


def value_words(value: object, lang: str) -> object:
    """'tensor of shape (3,) and dtype float32' in `lang`; anything else (code, a type name) as it is."""
    if lang == "en" or not isinstance(value, str):
        return value
    for pattern, key in _VALUE_WORDS:
        if found := pattern.match(value):
            return text(key, lang, **dict(zip(("a", "b"), found.groups(), strict=False)))
    return value


def with_conditions(message: str, conditions, lang: str) -> str:
    """A message with the conditions it holds under, in the language's own order.

    English puts them after the sentence, in parentheses; Chinese before it:
    "mse(y_hat, y) differs at index [0] … (when y_hat is a transposed view)."
    and "当 y_hat 是转置视图时：mse(y_hat, y) 在下标 [0] 处不同……".
    """
    if not conditions:
        return message
    parts = [text(condition.key, lang, **condition.params) for condition in conditions]
    return text("with_conditions", lang, message=message.rstrip(".。"), conditions=text("conditions_joiner", lang).join(parts))


def render_failure(failure: CheckFailure, result: TaskResult, lang: str) -> Feedback:
    params = {key: value for key, value in failure.params.items() if key != "location"}
    if lang == "en" and failure.key in _TYPE_MESSAGES:
        params.update(expected=english_article(params.get("expected", "")), got=english_article(params.get("got", "")))
    params.update({key: value_words(params[key], lang) for key in ("expected", "got") if key in params})
    message = with_conditions(text(failure.key, lang, **params), failure.conditions, lang)
    location = failure.params.get("location") or {}
    if location.get("file"):
        short = failure.key == "not_implemented" or not location.get("code")
        message += " " + text("location_short" if short else "location", lang, **location)
    advice = text(
        failure.advice or "advice_hint",
        lang,
        task=result.task.id,
        file=f"{result.task.file_name}",
    )
    return Feedback(message, advice)


def task_feedback(result: TaskResult, lang: str) -> list[Feedback]:
    """One entry per distinct problem of a task, in check order."""
    seen: set[str] = set()
    found = []
    for check in result.failures:
        feedback = render_failure(check.failure, result, lang)
        if feedback.message not in seen:
            seen.add(feedback.message)
            found.append(feedback)
    return found


def status_word(result: TaskResult, lang: str) -> str:
    if result.passed:
        return text("ui_status_passed", lang)
    if result.not_implemented:
        return text("ui_status_todo", lang)
    if result.score > 0:
        return text("ui_status_partial", lang)
    return text("ui_status_failed", lang)


def task_output(result: TaskResult, lang: str) -> str:
    """The plain-text feedback of one task, as the report's `output` carries it."""
    lines = [f"{result.task.id} {result.task.title[lang]}: {status_word(result, lang)} ({result.score:g}/{result.max_score:g})"]
    for feedback in task_feedback(result, lang):
        lines.append(f"- {feedback.message}")
        lines.append(f"  {feedback.advice}")
    if result.run.output.strip() and not result.passed:
        lines.append(text("ui_output", lang))
        lines.append(result.run.output.rstrip())
    return "\n".join(lines)
