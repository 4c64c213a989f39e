"""`grader report RESULTS_DIR`: what a batch says about the class, as HTML and Markdown.

    RESULTS_DIR/report.html   one self-contained page: inline CSS and inline SVG figures,
                              nothing loaded from anywhere, so it opens offline and can be mailed
    RESULTS_DIR/report.md     the same tables in Markdown (a text histogram instead of the figures)

Everything comes from the gradebook (`grader.batch.gradebook`), with the
overrides and the late policy applied as in `grades.csv`:

- the distribution of final scores (a histogram);
- per task, the share of students who passed it, got part of it, failed it,
  had not implemented it, or whose grading failed (a stacked bar chart);
- per task, the most common named mistakes: the message keys of the failed
  checks (`CheckFailure.key`), counted once per student;
- the slowest tasks (median and longest run of the task's process);
- the students whose grading failed or whose work could not be read, the
  entries skipped, the overrides and the late submissions.

Every word is in the instructor's language (`--lang`), the figures' labels
included: matplotlib draws them with a font that has Chinese glyphs and
stores the text as outlines, so no font is needed where the page is opened.
"""

from __future__ import annotations

import html
import io
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from grader.batch import GRADEBOOK, BatchError, export, open_gradebook
from grader.manifest import Course
from grader.messages import MESSAGES, text
from grader.report import write_atomically

STATUSES = ("passed", "partial", "failed", "todo", "error")
STATUS_COLOURS = {"passed": "#2e7d32", "partial": "#f9a825", "failed": "#c62828", "todo": "#9e9e9e", "error": "#6a1b9a"}
NOT_MISTAKES = {"not_implemented"}  # a stub is not a mistake: it has its own column
MISTAKES_SHOWN = 5
SLOWEST_SHOWN = 8
CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei")


@dataclass
class TaskSummary:
    task_id: str
    title: str
    points: float
    counts: Counter = field(default_factory=Counter)  # status -> students
    mean_points: float = 0.0
    mistakes: list[tuple[str, int]] = field(default_factory=list)  # (message key, students), most common first
    median_seconds: float = 0.0
    max_seconds: float = 0.0
    slowest_student: str = ""


@dataclass
class ClassData:
    course_title: str
    standings: list[export.StudentStanding]
    tasks: list[TaskSummary]
    skipped: list[tuple[str, str, dict]]
    due: str
    policy: str
    structured: bool  # do the checks' results exist (graded by a grader that records them)?


def gather(out_dir: Path, course: Course, lang: str) -> ClassData:
    if not (out_dir / GRADEBOOK).is_file():
        raise BatchError("instructor_no_gradebook", path=str(out_dir))
    gradebook = open_gradebook(out_dir)
    try:
        standings = export.standings(gradebook, course)
        graded = {standing.student for standing in standings if standing.status == "graded"}
        rows = gradebook.task_rows()
        checks = gradebook.check_rows()
        skipped = gradebook.skipped()
        settings = gradebook.settings()
    finally:
        gradebook.close()
    summaries = {task.id: TaskSummary(task.id, task.title[lang], task.points) for task in course.tasks}
    seconds: dict[str, list[tuple[float, str]]] = defaultdict(list)
    points: dict[str, list[float]] = defaultdict(list)
    for student, task_id, task_points, _, status, run_seconds in rows:
        summary = summaries.get(task_id)
        if summary is None:
            continue
        if student not in graded:
            summary.counts["error"] += 1
            continue
        summary.counts[status if status in STATUSES else "failed"] += 1
        points[task_id].append(task_points)
        seconds[task_id].append((run_seconds, student))
    mistakes: dict[str, Counter] = defaultdict(Counter)
    seen: set[tuple[str, str, str]] = set()
    for student, task_id, _, _, passed, key, _ in checks:
        if passed or not key or key in NOT_MISTAKES or (student, task_id, key) in seen:
            continue
        seen.add((student, task_id, key))
        mistakes[task_id][key] += 1
    for task_id, summary in summaries.items():
        summary.mean_points = statistics.fmean(points[task_id]) if points[task_id] else 0.0
        summary.mistakes = mistakes[task_id].most_common(MISTAKES_SHOWN)
        if seconds[task_id]:
            summary.median_seconds = statistics.median(value for value, _ in seconds[task_id])
            summary.max_seconds, summary.slowest_student = max(seconds[task_id])
    return ClassData(
        course.title[lang], standings, list(summaries.values()), skipped, settings.get("due", ""), settings.get("late_policy", ""),
        structured=bool(checks),
    )  # fmt: skip


# --- figures ------------------------------------------------------------------------


def _matplotlib(lang: str):
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import font_manager, pyplot
    except ImportError:
        raise BatchError("instructor_report_needs_matplotlib") from None
    families = ["DejaVu Sans"]
    if lang == "zh":
        def installed(family: str) -> bool:
            try:
                font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
            except ValueError:
                return False
            return True

        found = next((family for family in CJK_FAMILIES if installed(family)), None)
        if found is None:  # a font installed after matplotlib cached its list
            for path in font_manager.findSystemFonts():
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
            found = next((family for family in CJK_FAMILIES if installed(family)), None)
        if found is None:
            raise BatchError("instructor_report_needs_cjk_font", fonts=", ".join(CJK_FAMILIES))
        families.append(found)
    matplotlib.rcParams.update(
        {
            "font.family": families,
            "font.size": 10,
            "svg.fonttype": "path",  # text as outlines: the page needs no font
            "svg.hashsalt": "descent-report",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.facecolor": "white",
        }
    )
    return pyplot


def _svg(figure, pyplot, prefix: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    pyplot.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # no XML declaration or doctype inside HTML
    # Several figures share one page: their ids (glyphs, clip paths) get a prefix of their own.
    svg = re.sub(r'id="([^"]+)"', lambda match: f'id="{prefix}-{match[1]}"', svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', lambda match: f'{match[1]}="#{prefix}-{match[2]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda match: f"url(#{prefix}-{match[1]})", svg)
    return svg


def histogram_svg(data: ClassData, lang: str, pyplot) -> str:
    figure, axes = pyplot.subplots(figsize=(6.4, 3.0))
    shares = [100 * s.total / s.max_score for s in data.standings if s.status == "graded" and s.max_score]
    axes.hist(shares, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.001], color="#1565c0", edgecolor="white")
    max_score = data.standings[0].max_score if data.standings else 0
    axes.set_xlabel(text("instructor_report_histogram_x", lang, max_score=f"{max_score:g}"))
    axes.set_ylabel(text("instructor_report_histogram_y", lang))
    axes.set_xlim(0, 100)
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _svg(figure, pyplot, "histogram")


def task_rates_svg(data: ClassData, lang: str, pyplot) -> str:
    tasks = data.tasks
    figure, axes = pyplot.subplots(figsize=(6.4, 0.28 * len(tasks) + 1.2))
    labels = [summary.task_id for summary in tasks]
    left = [0.0] * len(tasks)
    for status in STATUSES:
        shares = []
        for summary in tasks:
            total = sum(summary.counts.values())
            shares.append(100 * summary.counts[status] / total if total else 0.0)
        axes.barh(labels, shares, left=left, color=STATUS_COLOURS[status], label=text(f"instructor_report_status_{status}", lang), height=0.7)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(text("instructor_report_rates_x", lang))
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16 - 1.2 / (0.28 * len(tasks) + 1.2) * 0.2), ncol=5, fontsize=8, frameon=False)
    return _svg(figure, pyplot, "rates")


# --- the page -----------------------------------------------------------------------


def _template_text(key: str, lang: str) -> str:
    """A message as a sentence about no one in particular: its fields shown as …."""
    template = MESSAGES.get(key, {}).get(lang)
    if not template:
        return ""
    return re.sub(r"\{[^{}]*\}", "…", template)


def _percent(count: int, total: int) -> str:
    return f"{100 * count / total:.0f}%" if total else "–"


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f'<th{" class=num" if index in numeric else ""}>{header}</th>' for index, header in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if index in numeric else ""}>{cell}</td>' for index, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #212121; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #616161; } .figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #e0e0e0; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { background: #f5f5f5; padding: 0 0.2rem; border-radius: 3px; font-size: 0.88em; }
.summary { display: flex; gap: 1.5rem; flex-wrap: wrap; } .summary div { background: #f5f5f5; padding: 0.5rem 1rem; border-radius: 6px; }
.summary b { display: block; font-size: 1.3rem; } .none { color: #757575; font-style: italic; }
"""


@dataclass
class _Sections:
    """The report's content, once, for both the HTML page and the Markdown file."""

    title: str
    meta: str
    counts: list[tuple[str, str]]
    task_headers: list[str]
    task_rows: list[list[str]]
    mistake_headers: list[str]
    mistake_rows: list[list[str]]
    slow_headers: list[str]
    slow_rows: list[list[str]]
    error_headers: list[str]
    error_rows: list[list[str]]
    skipped_headers: list[str]
    skipped_rows: list[list[str]]
    override_headers: list[str]
    override_rows: list[list[str]]
    late_headers: list[str]
    late_rows: list[list[str]]
    histogram: list[tuple[str, int]]


def sections(data: ClassData, lang: str) -> _Sections:
    def t(key: str, **params: object) -> str:
        return text(key, lang, **params)

    standings = data.standings
    graded = [s for s in standings if s.status == "graded"]
    totals = [s.total for s in graded]
    max_score = standings[0].max_score if standings else 0.0
    counts = [
        (t("instructor_report_count_students"), str(len(standings))),
        (t("instructor_report_count_graded"), str(len(graded))),
        (t("instructor_report_count_errors"), str(sum(s.status != "graded" for s in standings))),
        (t("instructor_report_count_median"), f"{statistics.median(totals):g} / {max_score:g}" if totals else "–"),
        (t("instructor_report_count_mean"), f"{statistics.fmean(totals):.1f} / {max_score:g}" if totals else "–"),
        (t("instructor_report_count_full"), str(sum(s.total >= s.max_score for s in graded))),
    ]
    policy = data.policy or t("batch_no_late_policy")
    meta = t("instructor_report_meta", when=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))
    if data.due:
        meta += " " + t("batch_late_settings", due=data.due, policy=policy)
    status_words = [t(f"instructor_report_status_{status}") for status in STATUSES]
    task_rows = []
    for summary in data.tasks:
        total = sum(summary.counts.values())
        task_rows.append(
            [summary.task_id, summary.title, f"{summary.mean_points:.1f} / {summary.points:g}",
             *(_percent(summary.counts[status], total) for status in STATUSES)]
        )  # fmt: skip
    mistake_rows = []
    for summary in data.tasks:
        graded_count = sum(summary.counts[status] for status in STATUSES if status != "error")
        for key, count in summary.mistakes:
            mistake_rows.append([summary.task_id, key, _template_text(key, lang), f"{count} ({_percent(count, graded_count)})"])
    slow = sorted((s for s in data.tasks if s.max_seconds), key=lambda s: s.median_seconds, reverse=True)[:SLOWEST_SHOWN]
    slow_rows = [[s.task_id, s.title, f"{s.median_seconds:.2f}", f"{s.max_seconds:.2f}", s.slowest_student] for s in slow]
    error_rows = [[s.student, t(f"instructor_report_status_word_{s.status}"), s.error] for s in standings if s.status != "graded"]
    skipped_rows = [[entry, t(key, **params)] for entry, key, params in data.skipped]
    override_rows = [
        [s.student, task_id if task_id != export.LATE_TASK else t("instructor_report_late_task"), f"{o.points:g}", o.reason]
        for s in standings
        for task_id, o in s.overrides.items()
    ]
    late_rows = [
        [s.student, s.submitted_at, f"{s.late.days_late:g}", f"{s.late.penalty * 100:g}%", f"{s.raw_total:g} → {s.total:g}"]
        for s in standings
        if s.late.days_late or s.late.penalty
    ]
    bins = [0] * 10
    for s in graded:
        share = 100 * s.total / s.max_score if s.max_score else 0
        bins[min(9, int(share // 10))] += 1
    histogram = [(f"{10 * index}–{10 * index + 10}%", count) for index, count in enumerate(bins)]
    return _Sections(
        title=t("instructor_report_title", course=data.course_title),
        meta=meta,
        counts=counts,
        task_headers=[t("ui_column_task"), t("ui_column_title"), t("instructor_report_mean_points"), *status_words],
        task_rows=task_rows,
        mistake_headers=[t("ui_column_task"), t("instructor_report_mistake_key"), t("instructor_report_mistake_message"), t("instructor_report_mistake_students")],
        mistake_rows=mistake_rows,
        slow_headers=[t("ui_column_task"), t("ui_column_title"), t("instructor_report_median_seconds"), t("instructor_report_max_seconds"), t("instructor_report_slowest_student")],
        slow_rows=slow_rows,
        error_headers=[t("instructor_report_student"), t("ui_column_status"), t("instructor_report_why")],
        error_rows=error_rows,
        skipped_headers=[t("instructor_report_entry"), t("instructor_report_why")],
        skipped_rows=skipped_rows,
        override_headers=[t("instructor_report_student"), t("ui_column_task"), t("ui_column_points"), t("instructor_report_reason")],
        override_rows=override_rows,
        late_headers=[t("instructor_report_student"), t("instructor_report_submitted_at"), t("instructor_report_days_late"), t("instructor_report_penalty"), t("instructor_report_raw_to_final")],
        late_rows=late_rows,
        histogram=histogram,
    )  # fmt: skip


def html_page(data: ClassData, lang: str) -> str:
    pyplot = _matplotlib(lang)
    part = sections(data, lang)

    def t(key: str, **params: object) -> str:
        return _e(text(key, lang, **params))

    def table(headers, rows, numeric=None, code=()):
        cells = [[f"<code>{_e(cell)}</code>" if index in code else _e(cell) for index, cell in enumerate(row)] for row in rows]
        return _table([_e(h) for h in headers], cells, numeric) if rows else f'<p class="none">{t("instructor_report_none")}</p>'

    summary = "".join(f"<div><b>{_e(value)}</b>{_e(label)}</div>" for label, value in part.counts)
    figures = ""
    if any(s.status == "graded" for s in data.standings):
        figures = (
            f'<h2>{t("instructor_report_histogram_title")}</h2><div class="figure" role="img" aria-label="{t("instructor_report_histogram_title")}">{histogram_svg(data, lang, pyplot)}</div>'
            f'<h2>{t("instructor_report_rates_title")}</h2><div class="figure" role="img" aria-label="{t("instructor_report_rates_title")}">{task_rates_svg(data, lang, pyplot)}</div>'
        )  # fmt: skip
    no_structure = "" if data.structured else f'<p class="none">{t("instructor_report_no_checks")}</p>'
    body = f"""
<h1>{_e(part.title)}</h1>
<p class="meta">{_e(part.meta)}</p>
<div class="summary">{summary}</div>
{figures}
<h2>{t("instructor_report_tasks_title")}</h2>
{table(part.task_headers, part.task_rows, numeric={2, 3, 4, 5, 6, 7})}
<h2>{t("instructor_report_mistakes_title")}</h2>
<p class="meta">{t("instructor_report_mistakes_about")}</p>
{no_structure}{table(part.mistake_headers, part.mistake_rows, numeric={3}, code={1})}
<h2>{t("instructor_report_slowest_title")}</h2>
{table(part.slow_headers, part.slow_rows, numeric={2, 3})}
<h2>{t("instructor_report_errors_title")}</h2>
{table(part.error_headers, part.error_rows)}
<h2>{t("instructor_report_skipped_title")}</h2>
{table(part.skipped_headers, part.skipped_rows, code={0})}
<h2>{t("instructor_report_overrides_title")}</h2>
{table(part.override_headers, part.override_rows, numeric={2})}
<h2>{t("instructor_report_late_title")}</h2>
{table(part.late_headers, part.late_rows, numeric={2, 3})}
"""
    language = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing from anywhere: no script, no font, no image, no style sheet but this one.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{_e(part.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>{body}</body>\n</html>\n"
    )


def _md(value: object) -> str:
    """A Markdown table cell: pipes escaped, on one line, nothing taken for markup or HTML."""
    cell = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")
    return re.sub(r"([`*_\[\]<>#])", r"\\\1", cell)


def markdown(data: ClassData, lang: str) -> str:
    part = sections(data, lang)

    def t(key: str, **params: object) -> str:
        return text(key, lang, **params)

    def table(headers, rows, code=()):
        if not rows:
            return f"_{t('instructor_report_none')}_\n"
        lines = ["| " + " | ".join(_md(h) for h in headers) + " |", "|" + " --- |" * len(headers)]
        for row in rows:
            lines.append("| " + " | ".join(f"`{str(c).replace('`', '')}`" if i in code else _md(c) for i, c in enumerate(row)) + " |")
        return "\n".join(lines) + "\n"

    widest = max((count for _, count in part.histogram), default=0) or 1
    histogram = "\n".join(f"    {label:>9} {'█' * round(20 * count / widest):<20} {count}" for label, count in part.histogram)
    counts = "\n".join(f"- {label}: **{value}**" for label, value in part.counts)
    return "\n".join(
        [
            f"# {part.title}", "", part.meta, "", counts, "",
            f"## {t('instructor_report_histogram_title')}", "", histogram, "",
            f"## {t('instructor_report_tasks_title')}", "", table(part.task_headers, part.task_rows),
            f"## {t('instructor_report_mistakes_title')}", "", t("instructor_report_mistakes_about"), "",
            *([] if data.structured else [f"_{t('instructor_report_no_checks')}_", ""]),
            table(part.mistake_headers, part.mistake_rows, code={1}),
            f"## {t('instructor_report_slowest_title')}", "", table(part.slow_headers, part.slow_rows),
            f"## {t('instructor_report_errors_title')}", "", table(part.error_headers, part.error_rows),
            f"## {t('instructor_report_skipped_title')}", "", table(part.skipped_headers, part.skipped_rows, code={0}),
            f"## {t('instructor_report_overrides_title')}", "", table(part.override_headers, part.override_rows),
            f"## {t('instructor_report_late_title')}", "", table(part.late_headers, part.late_rows),
        ]
    )  # fmt: skip


def main(out_dir: Path, course: Course, lang: str) -> tuple[Path, Path]:
    """Write `report.html` and `report.md` into `out_dir`; their paths."""
    out_dir = Path(out_dir).resolve()
    data = gather(out_dir, course, lang)
    page = html_page(data, lang)
    html_path, markdown_path = out_dir / "report.html", out_dir / "report.md"
    write_atomically(html_path, page)
    write_atomically(markdown_path, markdown(data, lang))
    return html_path, markdown_path
