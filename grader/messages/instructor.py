"""The words of the instructor's tools: `grader grade`, `grader override`, `grader report`, the cluster."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- what the students' results.json says of hidden checks, overrides and lateness
    "instructor_hidden_checks_test": {
        "en": "{title} (hidden checks)",
        "zh": "{title}（隐藏检查）",
    },
    "instructor_override_note": {
        "en": "The instructor set this task's points to {points}: {reason}",
        "zh": "老师把这个任务的分数改为 {points}：{reason}",
    },
    "instructor_override_summary": {
        "en": "Task {task}: the instructor set the points to {points} ({reason}).",
        "zh": "任务 {task}：老师把分数改为 {points}（{reason}）。",
    },
    "instructor_late_note": {
        "en": "Handed in {days} day(s) after the due date: {percent}% of the points are taken off ({raw} → {final}).",
        "zh": "在截止时间之后 {days} 天提交：扣除 {percent}% 的分数（{raw} → {final}）。",
    },
    "instructor_late_excused": {
        "en": "The instructor counts {days} day(s) late: {reason}",
        "zh": "老师按迟交 {days} 天计算：{reason}",
    },
    # --- grader grade: entries that are not graded, and why
    "batch_skipped_line": {
        "en": "Not graded: {reason}",
        "zh": "未评分：{reason}",
    },
    "batch_skipped_hidden": {
        "en": "{entry}: its name starts with a dot, so it is taken for a hidden file. Rename it without the dot to grade it.",
        "zh": "{entry}：名字以点开头，因此被当作隐藏文件。去掉开头的点后重新运行即可评分。",
    },
    "batch_skipped_system": {
        "en": "{entry}: a file that the operating system or a tool leaves behind, not a submission.",
        "zh": "{entry}：操作系统或工具留下的文件，不是提交。",
    },
    "batch_skipped_link": {
        "en": "{entry}: a symbolic link, which the grader does not follow. Put the submission itself in the folder.",
        "zh": "{entry}：这是符号链接，评分器不会跟随它。请把提交本身放进文件夹。",
    },
    "batch_skipped_not_submission": {
        "en": "{entry}: neither a folder nor a .zip file.",
        "zh": "{entry}：既不是文件夹，也不是 `.zip` 文件。",
    },
    "batch_skipped_duplicate": {
        "en": "{entry}: {student} already has a submission ({other}). Keep only one of the two.",
        "zh": "{entry}：{student} 已经有一份提交（{other}）。两者只保留一个。",
    },
    "batch_skipped_beside_nbgrader": {
        "en": "{entry}: it sits beside nbgrader's submitted/ folder, where no student is looked for. Move it into submitted/ to grade it.",
        "zh": "{entry}：它位于 nbgrader 的 `submitted/` 文件夹旁边，评分器不会在那里找学生。把它移进 `submitted/` 才会评分。",
    },
    "batch_lost_entries": {
        "en": "Some entries that may be students' work were not graded (see above): this run ends with status 1.",
        "zh": "有些可能是学生作业的条目没有被评分（见上文）：本次运行以状态 1 结束。",
    },
    "batch_where_cluster": {
        "en": "Grading on the Dask cluster at {address}, {workers} worker(s).",
        "zh": "在位于 {address} 的 `Dask` 集群上评分，共 {workers} 个工作进程。",
    },
    "batch_late_settings": {
        "en": "Due {due}; late policy {policy}.",
        "zh": "截止时间 {due}；迟交规则 {policy}。",
    },
    "batch_no_late_policy": {
        "en": "none",
        "zh": "无",
    },
    # --- grader grade: usage errors (shown in both languages)
    "batch_unknown_student": {
        "en": "--student {student}: there is no submission of that name in {path}. Use the name of the student's folder or .zip file.",
        "zh": "`--student {student}`：{path} 中没有这个名字的提交。请使用该学生的文件夹名或 `.zip` 文件名。",
    },
    "batch_bad_due": {
        "en": "--due: {problem}.",
        "zh": "`--due` 的值无法识别：{problem}。",
    },
    "batch_bad_late_policy": {
        "en": "--late-policy: {problem}.",
        "zh": "`--late-policy` 的值无法识别：{problem}。",
    },
    "batch_policy_without_due": {
        "en": "--late-policy needs a due date: add --due (for example --due 2026-12-15T23:59).",
        "zh": "`--late-policy` 需要截止时间：请加上 `--due`（例如 `--due 2026-12-15T23:59`）。",
    },
    # --- grader grade --cluster
    "batch_cluster_missing": {
        "en": "--cluster needs the Dask distributed package: pip install -e \".[instructor]\" (on this machine and on every worker).",
        "zh": "`--cluster` 需要 `Dask` 的 `distributed` 包：请运行 `pip install -e \".[instructor]\"`（本机和每个工作节点都要安装）。",
    },
    "batch_cluster_unreachable": {
        "en": "Cannot reach the Dask scheduler at {address}: {reason}. Check the address (tcp://HOST:8786) and that the scheduler runs.",
        "zh": "无法连接位于 {address} 的 `Dask` 调度进程：{reason}。请检查地址（`tcp://HOST:8786`），并确认调度进程正在运行。",
    },
    "batch_cluster_no_workers": {
        "en": "The Dask cluster at {address} has no worker after {seconds} s. Start workers (dask worker {address} --nthreads 1), then run this again.",
        "zh": "位于 {address} 的 `Dask` 集群在 {seconds} 秒后仍没有工作进程。请先启动工作进程（`dask worker {address} --nthreads 1`），然后再运行一次。",
    },
    "batch_cluster_other_grader": {
        "en": "A Dask worker runs another version of the grader or course ({theirs}, here {ours}): install this course on every worker, then run this again.",
        "zh": "有一个 `Dask` 工作进程运行的评分器或课程版本不同（它是 {theirs}，这里是 {ours}）：请在每个工作节点上安装本课程，然后再运行一次。",
    },
    "batch_cluster_worker_lost": {
        "en": "the Dask workers grading it ended {count} time(s) ({reason})",
        "zh": "为它评分的 `Dask` 工作进程结束了 {count} 次（{reason}）",
    },
    # --- grader override
    "instructor_override_set": {
        "en": "{student}, task {task}: {points} of {max_points} points from now on ({reason}). grades.csv and results.json are up to date.",
        "zh": "{student}，任务 {task}：从现在起为 {points} 分（满分 {max_points}）（{reason}）。`grades.csv` 和 `results.json` 已更新。",
    },
    "instructor_override_late_set": {
        "en": "{student}: counted as {days} day(s) late from now on ({reason}). grades.csv and results.json are up to date.",
        "zh": "{student}：从现在起按迟交 {days} 天计算（{reason}）。`grades.csv` 和 `results.json` 已更新。",
    },
    "instructor_override_removed": {
        "en": "{student}, {task}: the override is removed; the graded points count again.",
        "zh": "{student}，{task}：已撤销改分，重新以评分结果为准。",
    },
    "instructor_override_none": {
        "en": "{student} has no override for {task}.",
        "zh": "{student} 在 {task} 上没有改分记录。",
    },
    "instructor_no_gradebook": {
        "en": "{path} holds no gradebook (gradebook.sqlite). Run `grader grade SUBMISSIONS_DIR --out {path}` first.",
        "zh": "{path} 中没有成绩册（`gradebook.sqlite`）。请先运行 `grader grade SUBMISSIONS_DIR --out {path}`。",
    },
    "instructor_unknown_student": {
        "en": "{student} is not in the gradebook of {path}. The students are named after their folders or .zip files.",
        "zh": "{path} 的成绩册中没有 {student}。学生以其文件夹名或 `.zip` 文件名命名。",
    },
    "instructor_unknown_task": {
        "en": "Unknown task {task}. Use a task id (for example 2.2, see `grader list`), or late to set the days late.",
        "zh": "未知的任务 {task}。请使用任务编号（例如 2.2，见 `grader list`），或用 `late` 设置迟交天数。",
    },
    "instructor_points_out_of_range": {
        "en": "Task {task} is worth {max_points} points: give between 0 and {max_points}.",
        "zh": "任务 {task} 满分为 {max_points}：请给出 0 到 {max_points} 之间的分数。",
    },
    "instructor_days_out_of_range": {
        "en": "The days late are a number of 0 or more.",
        "zh": "迟交天数必须是大于或等于 0 的数。",
    },
    "instructor_override_needs_reason": {
        "en": "An override needs a reason: add --reason TEXT (it is kept and shown to the student).",
        "zh": "改分必须注明原因：请加上 `--reason TEXT`（原因会被保存，并显示给学生）。",
    },
    # --- grader report
    "instructor_report_written": {
        "en": "Wrote the class report to {html} and {markdown}.",
        "zh": "已把全班报告写入 {html} 和 {markdown}。",
    },
    "instructor_report_needs_matplotlib": {
        "en": "The class report draws its figures with matplotlib: pip install -e \".[instructor]\".",
        "zh": "全班报告用 `matplotlib` 绘图：请运行 `pip install -e \".[instructor]\"`。",
    },
    "instructor_report_needs_cjk_font": {
        "en": "The Chinese report needs a font with Chinese characters ({fonts}): on Debian, apt-get install fonts-wqy-microhei.",
        "zh": "中文报告需要带汉字的字体（{fonts}）：在 `Debian` 上运行 `apt-get install fonts-wqy-microhei`。",
    },
    "instructor_report_title": {"en": "{course}: class report", "zh": "{course}：全班报告"},
    "instructor_report_meta": {"en": "Written {when} from the gradebook.", "zh": "根据成绩册生成于 {when}。"},
    "instructor_report_count_students": {"en": "students", "zh": "学生"},
    "instructor_report_count_graded": {"en": "graded", "zh": "已评分"},
    "instructor_report_count_errors": {"en": "not graded (error, unreadable)", "zh": "未能评分（出错或无法读取）"},
    "instructor_report_count_median": {"en": "median score", "zh": "分数中位数"},
    "instructor_report_count_mean": {"en": "mean score", "zh": "平均分"},
    "instructor_report_count_full": {"en": "full marks", "zh": "满分人数"},
    "instructor_report_histogram_title": {"en": "Scores", "zh": "分数分布"},
    "instructor_report_histogram_x": {"en": "final score, % of {max_score} points", "zh": "最终得分（占 {max_score} 分的百分比）"},
    "instructor_report_histogram_y": {"en": "students", "zh": "学生人数"},
    "instructor_report_rates_title": {"en": "Results per task", "zh": "各任务的结果"},
    "instructor_report_rates_x": {"en": "% of students", "zh": "学生百分比"},
    "instructor_report_tasks_title": {"en": "Tasks", "zh": "任务"},
    "instructor_report_mean_points": {"en": "mean points", "zh": "平均得分"},
    "instructor_report_status_passed": {"en": "passed", "zh": "通过"},
    "instructor_report_status_partial": {"en": "partial", "zh": "部分得分"},
    "instructor_report_status_failed": {"en": "failed", "zh": "未通过"},
    "instructor_report_status_todo": {"en": "not implemented", "zh": "未实现"},
    "instructor_report_status_error": {"en": "not graded", "zh": "未能评分"},
    "instructor_report_status_word_error": {"en": "grading failed", "zh": "评分出错"},
    "instructor_report_status_word_ungradable": {"en": "unreadable", "zh": "无法读取"},
    "instructor_report_status_word_graded": {"en": "graded", "zh": "已评分"},
    "instructor_report_mistakes_title": {"en": "Most common mistakes", "zh": "最常见的错误"},
    "instructor_report_mistakes_about": {
        "en": "Each failed check names its mistake by a message key; a student counts once per task and mistake.",
        "zh": "每个未通过的检查都用一个消息键标明错误；同一任务的同一错误，每名学生只计一次。",
    },
    "instructor_report_no_checks": {
        "en": "This gradebook holds no results per check yet: grade the class again (grader grade --force) to count the mistakes.",
        "zh": "这个成绩册还没有逐项检查的结果：请重新评分（`grader grade --force`）以统计错误。",
    },
    "instructor_report_mistake_key": {"en": "message key", "zh": "消息键"},
    "instructor_report_mistake_message": {"en": "what the student reads", "zh": "学生看到的内容"},
    "instructor_report_mistake_students": {"en": "students", "zh": "学生人数"},
    "instructor_report_slowest_title": {"en": "Slowest tasks", "zh": "最慢的任务"},
    "instructor_report_median_seconds": {"en": "median s", "zh": "中位数（秒）"},
    "instructor_report_max_seconds": {"en": "longest s", "zh": "最长（秒）"},
    "instructor_report_slowest_student": {"en": "longest for", "zh": "最慢的学生"},
    "instructor_report_errors_title": {"en": "Students whose grading failed", "zh": "评分出错的学生"},
    "instructor_report_student": {"en": "student", "zh": "学生"},
    "instructor_report_why": {"en": "why", "zh": "原因"},
    "instructor_report_entry": {"en": "entry", "zh": "条目"},
    "instructor_report_skipped_title": {"en": "Entries not graded", "zh": "未评分的条目"},
    "instructor_report_overrides_title": {"en": "Overrides", "zh": "手动改分"},
    "instructor_report_reason": {"en": "reason", "zh": "原因"},
    "instructor_report_late_task": {"en": "days late", "zh": "迟交天数"},
    "instructor_report_late_title": {"en": "Late submissions", "zh": "迟交的提交"},
    "instructor_report_submitted_at": {"en": "handed in", "zh": "提交时间"},
    "instructor_report_days_late": {"en": "days late", "zh": "迟交天数"},
    "instructor_report_penalty": {"en": "deduction", "zh": "扣分比例"},
    "instructor_report_raw_to_final": {"en": "points, raw → final", "zh": "得分（原始 → 最终）"},
    "instructor_report_none": {"en": "none", "zh": "无"},
}
