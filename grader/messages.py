"""Every sentence a student sees, in English and Simplified Chinese, from one source.

Keys are grouped: feedback of failed checks, advice (the one next step),
whole-task problems, and the words of the terminal interface. A test fails
when a key lacks a language or the two languages use different fields.
"""

from __future__ import annotations

import os
import string

LANGUAGES = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    # --- feedback of a failed check -------------------------------------------------
    "wrong_type": {
        "en": "{what} should be a {expected}, but it is a {got}.",
        "zh": "{what} 应当是 {expected}，但它是 {got}。",
    },
    "expected_tensor_got_number": {
        "en": "{what} should be a torch.Tensor, but it is a Python {got}.",
        "zh": "{what} 应当是 torch.Tensor，但它是 Python 的 {got}。",
    },
    "expected_number_got_tensor": {
        "en": "{what} should be a Python float, but it is a {got}.",
        "zh": "{what} 应当是 Python 浮点数，但它是 {got}。",
    },
    "wrong_shape": {
        "en": "{what} has shape {got}, but shape {expected} was expected.",
        "zh": "{what} 的形状是 {got}，期望的形状是 {expected}。",
    },
    "transposed_shape": {
        "en": "{what} has shape {got}, the transpose of the expected {expected}.",
        "zh": "{what} 的形状是 {got}，恰好是期望形状 {expected} 的转置。",
    },
    "wrong_dtype": {
        "en": "{what} has dtype {got}, but dtype {expected} was expected.",
        "zh": "{what} 的 dtype 是 {got}，期望的是 {expected}。",
    },
    "wrong_values": {
        "en": "{what} differs at index {index}: expected {expected}, got {got} ({count} of {total} elements differ).",
        "zh": "{what} 在下标 {index} 处不同：期望 {expected}，实际 {got}（{total} 个元素中有 {count} 个不同）。",
    },
    "not_detached": {
        "en": "{what} still carries autograd history (requires_grad or grad_fn is set).",
        "zh": "{what} 仍带有 autograd 的计算历史（requires_grad 或 grad_fn 不为空）。",
    },
    "input_modified": {
        "en": "{call} changed its input {name}.",
        "zh": "{call} 修改了它的输入 {name}。",
    },
    "wrong_number": {
        "en": "{what} is {got}, but {expected} was expected.",
        "zh": "{what} 的值是 {got}，期望的是 {expected}。",
    },
    "wrong_value": {
        "en": "{what} is {got}, but {expected} was expected.",
        "zh": "{what} 是 {got}，期望的是 {expected}。",
    },
    "wrong_length": {
        "en": "{what} has {got} items, but {expected} were expected.",
        "zh": "{what} 有 {got} 项，期望的是 {expected} 项。",
    },
    "wrong_item_type": {
        "en": "Item {index} of {what} should be a {expected}, but it is a {got}.",
        "zh": "{what} 的第 {index} 项应当是 {expected}，但它是 {got}。",
    },
    "wrong_item": {
        "en": "Item {index} of {what} differs: expected {expected}, got {got}.",
        "zh": "{what} 的第 {index} 项不同：期望 {expected}，实际 {got}。",
    },
    "wrong_keys": {
        "en": "{what} has the wrong keys (missing: {missing}; unexpected: {extra}).",
        "zh": "{what} 的键不对（缺少：{missing}；多出：{extra}）。",
    },
    "grad_accumulates": {
        "en": "Calling {call} a second time gave different gradients: old gradients add up.",
        "zh": "第二次调用 {call} 得到的梯度不同：旧的梯度被累加了。",
    },
    "parameters_changed": {
        "en": "{call} changed the model's parameter {name}.",
        "zh": "{call} 修改了模型的参数 {name}。",
    },
    "not_same_tensor": {
        "en": "After {call}, {name} is no longer the same leaf tensor with requires_grad=True.",
        "zh": "调用 {call} 之后，{name} 不再是同一个 requires_grad=True 的叶子张量。",
    },
    "grad_not_cleared": {
        "en": "After {call}, the gradient of {name} was not cleared.",
        "zh": "调用 {call} 之后，{name} 的梯度没有被清零。",
    },
    "recorded_by_autograd": {
        "en": "After {call}, {name} has a grad_fn: the update was recorded by autograd.",
        "zh": "调用 {call} 之后，{name} 带有 grad_fn：这次更新被 autograd 记录了。",
    },
    "forbidden_call": {
        "en": "{call} used {forbidden}, which this task does not allow.",
        "zh": "{call} 使用了 {forbidden}，本任务不允许这样做。",
    },
    "not_callable": {
        "en": "{what} should be a function, but it is a {got}.",
        "zh": "{what} 应当是一个函数，但它是 {got}。",
    },
    "no_gradient_flow": {
        "en": "No gradient flows from {what} back to its input.",
        "zh": "梯度无法从 {what} 回传到输入。",
    },
    "wrong_indices": {
        "en": "{what} does not hold every index 0 … {last} exactly once.",
        "zh": "{what} 没有恰好包含 0 … {last} 中的每个下标各一次。",
    },
    "wrong_architecture": {
        "en": "The model should be {expected}, but it is {got}.",
        "zh": "模型应当是 {expected}，但它是 {got}。",
    },
    # --- whole-task problems --------------------------------------------------------
    "not_implemented": {
        "en": "{function} is not implemented yet.",
        "zh": "{function} 还没有实现。",
    },
    "raised": {
        "en": "{function} raised {error_type}: {message}",
        "zh": "{function} 抛出了 {error_type}：{message}",
    },
    "import_error": {
        "en": "{file} cannot be imported: {error_type}: {message}",
        "zh": "无法导入 {file}：{error_type}：{message}",
    },
    "missing_file": {
        "en": "The submission has no file {file}.",
        "zh": "提交的内容里没有文件 {file}。",
    },
    "missing_function": {
        "en": "{file} defines no {functions}.",
        "zh": "{file} 里没有定义 {functions}。",
    },
    "timeout": {
        "en": "Task {task} took longer than {seconds} s and was stopped.",
        "zh": "任务 {task} 运行超过 {seconds} 秒，已被终止。",
    },
    "crashed": {
        "en": "The process running task {task} ended without a result ({exit}).",
        "zh": "运行任务 {task} 的进程没有返回结果就结束了（{exit}）。",
    },
    "grader_error": {
        "en": "The grader could not judge this check ({detail}).",
        "zh": "评分器无法判定这一项检查（{detail}）。",
    },
    "location": {
        "en": "at {file} line {line}: {code}",
        "zh": "位置：{file} 第 {line} 行：{code}",
    },
    "location_short": {
        "en": "({file}, line {line})",
        "zh": "（{file} 第 {line} 行）",
    },
    # --- advice: one next step ------------------------------------------------------
    "advice_hint": {
        "en": "Run `grader hint {task}` for a hint.",
        "zh": "运行 `grader hint {task}` 查看提示。",
    },
    "advice_not_implemented": {
        "en": "Write its body in {file} (replace the `raise NotImplementedError`), then run `grader check {task}`.",
        "zh": "在 {file} 中写出函数体（替换掉 `raise NotImplementedError`），然后运行 `grader check {task}`。",
    },
    "advice_raised": {
        "en": "Fix the line shown above, then run `grader check {task}` again.",
        "zh": "修改上面指出的那一行，然后再次运行 `grader check {task}`。",
    },
    "advice_import_error": {
        "en": "Fix that line: every task of {file} scores 0 until the file imports.",
        "zh": "请修改那一行：在该文件能被导入之前，{file} 中的所有任务都得 0 分。",
    },
    "advice_missing_file": {
        "en": "Keep the file names of exercises/ in your submission.",
        "zh": "请在提交中保留 exercises/ 里的文件名。",
    },
    "advice_missing_function": {
        "en": "Keep the names and signatures of the exercise file.",
        "zh": "请保留练习文件中的函数名和签名。",
    },
    "advice_timeout": {
        "en": "Look for a loop that never ends or work that grows too fast.",
        "zh": "检查是否有永不结束的循环，或增长过快的计算量。",
    },
    "advice_crashed": {
        "en": "Do not exit the process or kill it; return a result instead.",
        "zh": "不要退出或终止进程，请返回一个结果。",
    },
    "advice_grader_error": {
        "en": "Please report this to your instructor, with your file.",
        "zh": "请把这个情况连同你的文件一起报告给老师。",
    },
    "advice_detach": {
        "en": "Return a detached result: call .detach(), or compute it under torch.no_grad().",
        "zh": "请返回脱离计算图的结果：调用 .detach()，或在 torch.no_grad() 下计算。",
    },
    "advice_copy_input": {
        "en": "Work on a copy (x.detach().clone()) and never write into an input.",
        "zh": "请在副本（x.detach().clone()）上操作，不要写入输入张量。",
    },
    "advice_item": {
        "en": "Convert a 0-d tensor to a float with .item().",
        "zh": "用 .item() 把 0 维张量转换为浮点数。",
    },
    "advice_zero_grad": {
        "en": "Clear old gradients before backward: model.zero_grad() (or optimizer.zero_grad()).",
        "zh": "在 backward 之前清除旧梯度：model.zero_grad()（或 optimizer.zero_grad()）。",
    },
    "advice_no_grad": {
        "en": "Update inside `with torch.no_grad():` and in place (p -= lr * p.grad).",
        "zh": "在 `with torch.no_grad():` 中原地更新（p -= lr * p.grad）。",
    },
    "advice_transpose": {
        "en": "Check the order of the matrix product and where the transpose (.T) goes.",
        "zh": "检查矩阵乘法的顺序，以及转置（.T）应该放在哪里。",
    },
    # --- the terminal interface -----------------------------------------------------
    "ui_grading": {
        "en": "Grading {path} ({count} tasks)",
        "zh": "正在评分 {path}（{count} 个任务）",
    },
    "ui_score": {
        "en": "Score: {score} / {max_score} · {done} of {count} tasks complete",
        "zh": "得分：{score} / {max_score} · 已完成 {count} 个任务中的 {done} 个",
    },
    "ui_all_done": {
        "en": "Every graded task has full points. Well done!",
        "zh": "所有被评分的任务都拿到了满分，做得好！",
    },
    "ui_next": {
        "en": "Next: task {task} ({title}). Run `grader hint {task}` if you are stuck.",
        "zh": "下一步：任务 {task}（{title}）。卡住了可以运行 `grader hint {task}`。",
    },
    "ui_status_passed": {"en": "passed", "zh": "通过"},
    "ui_status_failed": {"en": "failed", "zh": "未通过"},
    "ui_status_todo": {"en": "not implemented yet", "zh": "尚未实现"},
    "ui_status_partial": {"en": "partly right", "zh": "部分正确"},
    "ui_status_unchecked": {"en": "not checked yet", "zh": "尚未检查"},
    "ui_column_task": {"en": "Task", "zh": "任务"},
    "ui_column_title": {"en": "Title", "zh": "标题"},
    "ui_column_points": {"en": "Points", "zh": "分数"},
    "ui_column_status": {"en": "Status", "zh": "状态"},
    "ui_unit": {"en": "Unit {number}: {title}", "zh": "第 {number} 单元：{title}"},
    "ui_hint": {"en": "Hint for task {task} ({title})", "zh": "任务 {task}（{title}）的提示"},
    "ui_function": {"en": "Write {functions} in {file}.", "zh": "在 {file} 中编写 {functions}。"},
    "ui_report_written": {"en": "Report written to {path}.", "zh": "报告已写入 {path}。"},
    "ui_output": {"en": "Your code printed:", "zh": "你的代码输出了："},
    "ui_more_checks": {"en": "… and {count} more failed checks.", "zh": "…… 另有 {count} 项检查未通过。"},
    "ui_stubs_synced": {"en": "Wrote {count} stub file(s) to {path}.", "zh": "已向 {path} 写入 {count} 个练习文件。"},
    "ui_stubs_current": {"en": "exercises/ is up to date with solutions/.", "zh": "exercises/ 与 solutions/ 一致。"},
    # --- usage errors (shown in both languages) -------------------------------------
    "error_unknown_task": {
        "en": "Unknown task {task}. Run `grader list` to see the task ids (for example 1.1).",
        "zh": "未知的任务 {task}。运行 `grader list` 查看任务编号（例如 1.1）。",
    },
    "error_no_directory": {
        "en": "The submission directory {path} does not exist. Pass a folder laid out like exercises/.",
        "zh": "提交目录 {path} 不存在。请传入一个与 exercises/ 结构相同的文件夹。",
    },
    "error_not_a_directory": {
        "en": "{path} is not a directory. Pass a folder laid out like exercises/.",
        "zh": "{path} 不是一个文件夹。请传入一个与 exercises/ 结构相同的文件夹。",
    },
    "error_unreadable": {
        "en": "The submission directory {path} cannot be read. Check its permissions.",
        "zh": "无法读取提交目录 {path}。请检查它的权限。",
    },
    "error_both_sources": {
        "en": "Use either --submission or --solutions, not both.",
        "zh": "--submission 和 --solutions 只能二选一。",
    },
    "error_report": {
        "en": "Cannot write the report to {path}: {reason}. Choose a writable path.",
        "zh": "无法把报告写入 {path}：{reason}。请换一个可写的路径。",
    },
    "error_stubs": {
        "en": "Cannot generate the stubs: {problem}",
        "zh": "无法生成练习文件：{problem}",
    },
    "error_stubs_drift": {
        "en": "exercises/ differs from what solutions/ generates: {files}. Run `grader dev sync`.",
        "zh": "exercises/ 与 solutions/ 生成的结果不一致：{files}。请运行 `grader dev sync`。",
    },
    "error_internal": {
        "en": "The grader itself failed ({detail}). Please report this to your instructor.",
        "zh": "评分器自身出错（{detail}）。请报告给老师。",
    },
}


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
