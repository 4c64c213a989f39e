"""The words of `grader doctor` and `grader notebooks`: a student's setup."""

MESSAGES: dict[str, dict[str, str]] = {
    "doctor_python": {
        "en": "Python {version} ({path})",
        "zh": "Python 版本 {version}（{path}）",
    },
    "doctor_python_fix": {
        "en": "The course needs Python 3.11 or newer: install it (python.org) and make the virtual environment again with it.",
        "zh": "本课程需要 Python 3.11 或更高版本：请安装（python.org），并用它重新创建虚拟环境。",
    },
    "doctor_torch": {
        "en": "torch {version}, {build}",
        "zh": "torch 版本 {version}，{build}",
    },
    "doctor_build_cpu": {
        "en": "CPU build",
        "zh": "CPU 版本",
    },
    "doctor_build_cuda": {
        "en": "CUDA {cuda} build",
        "zh": "CUDA {cuda} 版本",
    },
    "doctor_torch_missing": {
        "en": "torch is not installed in this Python.",
        "zh": "这个 Python 里没有安装 torch。",
    },
    "doctor_cuda_unused": {
        "en": "This torch is a CUDA build, and this computer has no usable GPU: the course only needs the CPU build, which is much smaller.",
        "zh": "这个 torch 是 CUDA 版本，而这台电脑没有可用的 GPU：本课程只需要体积小得多的 CPU 版本。",
    },
    "doctor_cpu_wheel_fix": {
        "en": "Optional: pip install --force-reinstall torch --index-url https://download.pytorch.org/whl/cpu",
        "zh": "可选：`pip install --force-reinstall torch --index-url https://download.pytorch.org/whl/cpu`",
    },
    "doctor_install_fix": {
        "en": "Install the course in this environment as the README says (pip install -e . in the clone).",
        "zh": "请按 `README` 的说明在这个环境里安装课程（在克隆目录中运行 `pip install -e .`）。",
    },
    "doctor_module": {
        "en": "{name} {version}",
        "zh": "{name} 版本 {version}",
    },
    "doctor_module_missing": {
        "en": "{name} is not installed.",
        "zh": "没有安装 {name}。",
    },
    "doctor_runner_namespaces": {
        "en": "Tasks run sandboxed: namespaces of their own, the rest of the computer read-only and out of reach.",
        "zh": "任务在沙箱中运行：各自独立的命名空间，电脑的其余部分只读且无法触及。",
    },
    "doctor_runner_users": {
        "en": "Tasks run as users of their own (namespaces are not available here): they cannot touch your files.",
        "zh": "任务以各自独立的用户身份运行（这里没有命名空间可用）：它们无法改动你的文件。",
    },
    "doctor_runner_processes": {
        "en": "Tasks run in processes of their own, without a sandbox (this Linux allows no user namespaces): results are advisory.",
        "zh": "任务在各自独立的进程中运行，但没有沙箱（这个 Linux 不允许用户命名空间）：结果仅供参考。",
    },
    "doctor_runner_portable": {
        "en": "Tasks run in a worker process of their own, without a sandbox (as on macOS and Windows): results are advisory.",
        "zh": "任务在独立的工作进程中运行，但没有沙箱（与 macOS 和 Windows 上一样）：结果仅供参考。",
    },
    "doctor_no_memory_cap": {
        "en": "This system cannot cap a task's memory.",
        "zh": "这个系统无法限制任务的内存。",
    },
    "doctor_runner_fix": {
        "en": "Fine for practice. Official grades come from your course's grading, which runs sandboxed.",
        "zh": "用于练习没有问题。正式成绩以课程在沙箱中运行的评分为准。",
    },
    "doctor_runner_failed": {
        "en": "The grader's worker does not start: {detail}",
        "zh": "评分器的工作进程无法启动：{detail}",
    },
    "doctor_report_fix": {
        "en": "Reinstall the course (pip install -e .); if it persists, report it to your instructor with this output.",
        "zh": "请重新安装课程（`pip install -e .`）；若问题依旧，请把这段输出报告给老师。",
    },
    "doctor_language": {
        "en": "Locale {locale}: feedback in {language} (choose with --lang en or --lang zh).",
        "zh": "区域设置 {locale}：反馈使用{language}（可用 `--lang en` 或 `--lang zh` 选择）。",
    },
    "doctor_language_en": {
        "en": "English",
        "zh": "英文",
    },
    "doctor_language_zh": {
        "en": "Chinese",
        "zh": "中文",
    },
    "doctor_exercises": {
        "en": "Exercises: {path}",
        "zh": "练习文件夹：{path}",
    },
    "doctor_no_exercises": {
        "en": "No exercises/ folder of the course here ({path}).",
        "zh": "这里没有课程的 exercises/ 文件夹（{path}）。",
    },
    "doctor_exercises_fix": {
        "en": "Run grader inside your clone of the course (the folder with course.toml and exercises/).",
        "zh": "请在你克隆的课程目录（含有 course.toml 和 exercises/ 的文件夹）中运行 grader。",
    },
    "doctor_exercises_readonly": {
        "en": "You cannot write to {path}.",
        "zh": "你无法写入 {path}。",
    },
    "doctor_writable_fix": {
        "en": "Clone the course into a folder of your own (for example your home folder) and work there.",
        "zh": "请把课程克隆到你自己的文件夹（例如主目录）中，在那里练习。",
    },
    "doctor_summary_ok": {
        "en": "Everything the course needs is in place.",
        "zh": "课程所需的一切都已就绪。",
    },
    "doctor_summary_problems": {
        "en": "{count} problem(s) to fix first: see the arrows above.",
        "zh": "有 {count} 个问题需要先解决：见上面箭头所指。",
    },
    "error_no_jupytext": {
        "en": "Notebooks need jupytext, which is not installed: pip install jupytext",
        "zh": "笔记本需要 `jupytext`，但它没有安装：`pip install jupytext`",
    },
    "ui_notebook_written": {
        "en": "Wrote {notebook}, paired with its .py file.",
        "zh": "已写入 {notebook}，并与对应的 .py 文件配对。",
    },
    "ui_notebook_kept": {
        "en": "Kept {notebook}: it exists already (--force writes it anew).",
        "zh": "保留了 {notebook}：它已经存在（加 `--force` 会重新写入）。",
    },
    "ui_notebooks_how": {
        "en": "Open them in Jupyter (jupyter lab exercises/): with jupytext installed, each save updates the .py file too, and grader check grades whichever you saved last.",
        "zh": "在 Jupyter 中打开它们（`jupyter lab exercises/`）：装好 `jupytext` 后，每次保存都会同步更新 `.py` 文件，`grader check` 会给你最后保存的那个文件评分。",
    },
}
