"""The words of `grader hint`: a ladder of hints per task, climbed one level at a time.

`hint_ladder` is the sentence that tells a student where they stand on a
task's ladder; `grader check`, `grader watch` and `grader next` end with it.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "hint_heading": {
        "en": "Task {task} ({title}): hint {level} of {count}",
        "zh": "任务 {task}（{title}）：第 {level} 级提示，共 {count} 级",
    },
    "hint_heading_all": {
        "en": "Task {task} ({title}): all {count} hints",
        "zh": "任务 {task}（{title}）：全部 {count} 级提示",
    },
    "hint_level": {
        "en": "Hint {level} of {count}",
        "zh": "第 {level} 级提示（共 {count} 级）",
    },
    "hint_more": {
        "en": "Still stuck? Run `grader hint {task}` again for hint {next} of {count}.",
        "zh": "还是没有头绪？再运行一次 `grader hint {task}`，查看第 {next} 级提示（共 {count} 级）。",
    },
    "hint_last": {
        "en": "That is the last hint. `grader hint {task} --all` shows all {count} again; `grader hint {task} --reset` starts over.",
        "zh": "这是最后一级提示。`grader hint {task} --all` 会再次显示全部 {count} 级；`grader hint {task} --reset` 会从第 1 级重新开始。",
    },
    "hint_reset_done": {
        "en": "The hints of task {task} start over: the next `grader hint {task}` shows hint 1 of {count}.",
        "zh": "任务 {task} 的提示已重新开始：下一次运行 `grader hint {task}` 会显示第 1 级提示（共 {count} 级）。",
    },
    "hint_not_kept": {
        "en": "This folder is not a course folder, so the hints you have seen are not remembered.",
        "zh": "当前文件夹不是课程文件夹，你看过哪些提示不会被记录下来。",
    },
    "hint_options_conflict": {
        "en": "Use one of `--all`, `--level` and `--reset` at a time.",
        "zh": "`--all`、`--level` 和 `--reset` 每次只能用其中一个。",
    },
    "hint_bad_level": {
        "en": "Task {task} has hints 1 to {count}; there is no hint {level}.",
        "zh": "任务 {task} 只有第 1 到第 {count} 级提示，没有第 {level} 级。",
    },
    # Where the student stands on a task's ladder, after `grader check`, `watch` and `next`.
    "hint_ladder_none": {
        "en": "Stuck? `grader hint {task}` shows hint 1 of {count}.",
        "zh": "卡住了？`grader hint {task}` 会显示第 1 级提示（共 {count} 级）。",
    },
    "hint_ladder_some": {
        "en": "Hints seen: {seen} of {count}; `grader hint {task}` shows hint {next}.",
        "zh": "已看过 {count} 级提示中的 {seen} 级；`grader hint {task}` 会显示第 {next} 级。",
    },
    "hint_ladder_all": {
        "en": "All {count} hints seen; `grader hint {task} --all` shows them again.",
        "zh": "{count} 级提示都已看过；`grader hint {task} --all` 会再次显示它们。",
    },
    "hint_column": {"en": "Hints seen", "zh": "已看提示"},
}
