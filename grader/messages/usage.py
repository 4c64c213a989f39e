"""The command line's own usage errors (Click's), in both languages."""

MESSAGES: dict[str, dict[str, str]] = {
    "usage_no_such_command": {
        "en": "grader has no command `{name}`.{suggestion} Run `grader --help` to see its commands.",
        "zh": "grader 没有 `{name}` 这个命令。{suggestion}运行 `grader --help` 查看所有命令。",
    },
    "usage_no_such_option": {
        "en": "`{command}` has no option `{option}`.{suggestion} Run `{command} --help` to see its options.",
        "zh": "`{command}` 没有 `{option}` 这个选项。{suggestion}运行 `{command} --help` 查看它的选项。",
    },
    "usage_did_you_mean": {
        "en": " Did you mean `{close}`?",
        "zh": "你是不是想用 `{close}`？",
    },
    "usage_missing": {
        "en": "`{command}` needs `{name}`. Run `{command} --help` to see how to call it.",
        "zh": "`{command}` 缺少 `{name}`。运行 `{command} --help` 查看用法。",
    },
    "usage_bad_value": {
        "en": "The value given to `{name}` is not valid.{allowed} Run `{command} --help` to see how to call it.",
        "zh": "传给 `{name}` 的值无效。{allowed}运行 `{command} --help` 查看用法。",
    },
    "usage_choose_one_of": {
        "en": " Choose one of `{choices}`.",
        "zh": "可选的值有 `{choices}`。",
    },
    "usage_number_between": {
        "en": " Give a number from {low} to {high}.",
        "zh": "请给出 {low} 到 {high} 之间的数。",
    },
    "usage_generic": {
        "en": "That is not how `{command}` is called. Run `{command} --help` to see how.",
        "zh": "`{command}` 不是这样调用的。运行 `{command} --help` 查看用法。",
    },
}
