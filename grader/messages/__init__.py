"""Every sentence a student sees, in English and Simplified Chinese, from one source.

The keys live in modules by feature: `core` for what every unit shares
(feedback of failed checks, advice, whole-task problems, the interface,
conditions), and one module per unit for its own mistakes, keys prefixed with
the unit's name. A test fails when a key lacks a language, when the two
languages use different fields, or when two modules define the same key.

A sentence's subject is code (`mse(y_hat, y)`) or a key, never an English
phrase that would end up inside a Chinese sentence; what a check found out
about the inputs ("when x is a transposed view") is a *condition*, a key of
its own, composed in each language's word order (`grader.feedback`).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import string

LANGUAGES = ("en", "zh")


def _collect() -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, value in getattr(module, "MESSAGES", {}).items():
            if key in found:
                raise ValueError(f"message key {key!r} is defined twice (grader/messages/{info.name}.py)")
            found[key] = value
    return found


MESSAGES: dict[str, dict[str, str]] = _collect()

def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(key: str, lang: str, **params: object) -> str:
    """The message `key` in `lang`, filled with `params`."""
    template = MESSAGES[key][lang if lang in LANGUAGES else "en"]
    return template.format(**params)


def both(key: str, **params: object) -> str:
    """The message in both languages, English first: for usage errors."""
    return "\n".join(text(key, lang, **params) for lang in LANGUAGES)


def detect_language(explicit: str | None = None, environ: dict[str, str] | None = None) -> str:
    """`--lang` if given, else a `zh*` locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`), else English."""
    if explicit in LANGUAGES:
        return explicit
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
