"""Every message, title and hint exists in both languages, with the same fields;
the Chinese texts are Chinese, with no English outside code."""

import re

import pytest

from grader.messages import LANGUAGES, MESSAGES, detect_language, fields
from grader.paths import PACKAGE_DIR
from tests.chinese import english_outside_code

# Proper names that Chinese writing keeps in Latin letters, as the Chinese lessons do
# ("Rosenbrock 函数", "Nesterov 动量"): names, not English prose.
PROPER_NAMES = {"Rosenbrock", "Nesterov", "Linux", "macOS", "Windows"}
FIELD = re.compile(r"\{[^}]*\}")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_message_has_both_languages_with_the_same_fields(key):
    entry = MESSAGES[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert fields(entry["en"]) == fields(entry["zh"])
    if re.search(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", entry["en"])):  # prose, not a layout such as "{message} ({conditions})."
        assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), "the Chinese text has no Chinese in it"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_the_chinese_text_has_no_english_outside_code(key):
    """Code is in backticks or reads as code (`x.grad`, `mse(y_hat, y)`, `batch_size`); fields are filled
    with code or Chinese; what is left is Chinese."""
    chinese = FIELD.sub(" ", MESSAGES[key]["zh"])
    assert [word for word in english_outside_code(chinese) if word not in PROPER_NAMES] == [], MESSAGES[key]["zh"]


def test_the_english_finder_flags_prose_and_spares_code_and_names():
    assert english_outside_code("请用 --out 选择文件夹") == ["out"]
    assert english_outside_code("请用 `--out` 选择文件夹，沿 `dim=0` 求和，调用 x.grad 与 mse(y_hat, y)") == []
    assert FIELD.sub(" ", "{what} 的形状是 {got}") == "  的形状是  "


def test_every_key_used_by_the_grader_exists():
    # A whole name before the parenthesis: `write_text("deny")` (grader.sandbox) is not a message.
    pattern = re.compile(r"""\b(?:CheckFailure|fail|text|both|fail_usage)\(\s*["']([a-z_]+)["']|advice=["']([a-z_]+)["']""")
    used = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            used.add(match.group(1) or match.group(2))
    assert used - set(MESSAGES) == set()


def test_titles_and_hints_are_bilingual(course):
    for unit in course.units:
        assert all(unit.title[lang] for lang in LANGUAGES)
    for task in course.tasks:
        for lang in LANGUAGES:
            assert task.title[lang].strip() and all(hint[lang].strip() for hint in task.hints)
        assert all(re.search(r"[\u4e00-\u9fff]", hint["zh"]) for hint in task.hints)


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        ("zh", {"LANG": "en_US.UTF-8"}, "zh"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_language_detection(explicit, environ, expected):
    assert detect_language(explicit, environ) == expected
