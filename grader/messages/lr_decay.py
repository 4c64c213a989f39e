"""Messages of unit 5, learning rate and decay: its named mistakes and conditions.

Keys carry the unit's name (`lr_decay_step_drops_early`); conditions are
`cond_lr_decay_*`. Subjects (`what`, `call`, `name`) are code.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- calls that broke under a family of inputs -----------------------------------
    "lr_decay_keyword_call_failed": {
        "en": "{call} raised TypeError: {signature} must accept its arguments by these names.",
        "zh": "{call} 抛出了 TypeError：{signature} 必须能按这些参数名接收参数。",
    },
    "lr_decay_view_not_contiguous": {
        "en": "{call} raised RuntimeError: .view() does not work on a tensor that is not contiguous ({file}, line {line}: {code}).",
        "zh": "{call} 抛出了 RuntimeError：.view() 不能用于内存不连续的张量（{file} 第 {line} 行：`{code}`）。",
    },
    "lr_decay_raised": {
        "en": "{call} raised {error_type}: {message}",
        "zh": "{call} 抛出了 {error_type}：`{message}`",
    },
    "lr_decay_raised_at": {
        "en": "{call} raised {error_type}: {message} ({file}, line {line}: {code})",
        "zh": "{call} 抛出了 {error_type}：`{message}`（{file} 第 {line} 行：`{code}`）",
    },
    "lr_decay_advice_signature": {
        "en": "Keep the parameter names of the exercise file's signature: callers may pass any argument by its name.",
        "zh": "请保留练习文件中函数签名的参数名：调用者可能按名称传入任何参数。",
    },
    "lr_decay_advice_reshape": {
        "en": "Use .reshape() (or index the tensor) instead of .view(): it works for every memory layout.",
        "zh": "请用 .reshape()（或直接下标取值）代替 .view()：它适用于任何内存布局。",
    },
    # --- 5.1 rosenbrock ----------------------------------------------------------------
    "lr_decay_factor_100": {
        "en": "{what} is {got}: that is the textbook function with the factor 100, 100·(x[1] − x[0]²)² + (1 − x[0])²; this course leaves the factor out ({expected} was expected).",
        "zh": "{what} 的值是 {got}：这是教科书上带系数 100 的函数 `100·(x[1] − x[0]²)² + (1 − x[0])²`；本课程不带这个系数（期望值为 {expected}）。",
    },
    "lr_decay_rosenbrock_swapped": {
        "en": "{what} is {got}: x[0] and x[1] are swapped; the function is (x[1] − x[0]²)² + (1 − x[0])² ({expected} was expected).",
        "zh": "{what} 的值是 {got}：x[0] 和 x[1] 用反了；函数应当是 (x[1] − x[0]²)² + (1 − x[0])²（期望值为 {expected}）。",
    },
    "lr_decay_backward_inside": {
        "en": "{call} called backward() itself: {name}.grad was already set before the caller asked for a gradient.",
        "zh": "{call} 自己调用了 backward()：在调用者求梯度之前，{name}.grad 就已经被设置了。",
    },
    "lr_decay_advice_no_backward": {
        "en": "Only compute and return the value; the caller decides when to call backward().",
        "zh": "只计算并返回函数值；何时调用 backward() 由调用者决定。",
    },
    "lr_decay_requires_grad_changed": {
        "en": "{call} changed {name}.requires_grad from {before} to {after}: a function leaves its inputs as they were.",
        "zh": "{call} 把 {name}.requires_grad 从 {before} 改成了 {after}：函数不应改变它的输入。",
    },
    "lr_decay_grad_touched": {
        "en": "{call} left a gradient in the caller's {name}.grad.",
        "zh": "{call} 在调用者的 {name}.grad 中留下了梯度。",
    },
    "lr_decay_advice_detached_copy": {
        "en": "Take gradients of a detached copy: x = start.detach().clone().requires_grad_(True); never call backward() through the caller's tensor.",
        "zh": "请对脱离计算图的副本求梯度：x = start.detach().clone().requires_grad_(True)；不要通过调用者的张量调用 backward()。",
    },
    # --- 5.2 the three decay functions -------------------------------------------------
    "lr_decay_missing_parentheses": {
        "en": "{what} is {got}, which is lr0 / 1 + decay·iteration: the parentheses around 1 + decay·iteration are missing ({expected} was expected).",
        "zh": "{what} 的值是 {got}，即 `lr0 / 1 + decay·iteration`：缺少了 `1 + decay·iteration` 两边的括号（期望值为 {expected}）。",
    },
    "lr_decay_true_division": {
        "en": "{what} is {got}: step decay used true division, iteration / every, instead of integer division, iteration // every, so the rate fell between the drops ({expected} was expected).",
        "zh": "{what} 的值是 {got}：阶梯衰减用了真除法 `iteration / every`，而不是整数除法 `iteration // every`，所以学习率在两次下降之间也在变化（期望值为 {expected}）。",
    },
    "lr_decay_step_drops_early": {
        "en": "{what} is {got}: the rate dropped one iteration early, (iteration + 1) // every; it drops when iteration reaches a multiple of every ({expected} was expected).",
        "zh": "{what} 的值是 {got}：学习率提前一次迭代就下降了，即 `(iteration + 1) // every`；它应当在 iteration 到达 `every` 的倍数时才下降（期望值为 {expected}）。",
    },
    "lr_decay_step_drops_late": {
        "en": "{what} is {got}: the rate dropped one iteration late, (iteration - 1) // every; it drops when iteration reaches a multiple of every, and iteration 0 uses lr0 ({expected} was expected).",
        "zh": "{what} 的值是 {got}：学习率晚了一次迭代才下降，即 `(iteration - 1) // every`；它应当在 iteration 到达 `every` 的倍数时下降，且第 0 次迭代使用 lr0（期望值为 {expected}）。",
    },
    "lr_decay_step_every_iteration": {
        "en": "{what} is {got}: the rate dropped at every iteration, drop ** iteration; it drops once every `every` iterations, drop ** (iteration // every) ({expected} was expected).",
        "zh": "{what} 的值是 {got}：学习率每次迭代都在下降，即 `drop ** iteration`；它应当每隔 `every` 次迭代才下降一次，即 `drop ** (iteration // every)`（期望值为 {expected}）。",
    },
    "lr_decay_lr0_kept": {
        "en": "{what} is {got}, the rate for lr0 = {kept} of an earlier call: every call must use its own lr0 ({expected} was expected).",
        "zh": "{what} 的值是 {got}，这是之前某次调用的 lr0 = {kept} 对应的学习率：每次调用都必须使用自己的 lr0（期望值为 {expected}）。",
    },
    "lr_decay_advice_pure": {
        "en": "Compute the result from the arguments alone: no global variable, cache or attribute may carry anything from one call to the next.",
        "zh": "只用参数计算结果：不要用全局变量、缓存或属性把任何东西从一次调用带到下一次调用。",
    },
    # --- 5.3 minimize --------------------------------------------------------------------
    "lr_decay_lr_read_once": {
        "en": "{what} leaves the expected path at row {row}: lr(0) was used for every iteration; call lr(i) inside the loop, once per iteration.",
        "zh": "{what} 在第 {row} 行偏离了期望的路径：每次迭代都用了 lr(0)；请在循环内部每次迭代调用一次 lr(i)。",
    },
    "lr_decay_lr_not_called": {
        "en": "{call} never called lr, although callable(lr) is True.",
        "zh": "虽然 callable(lr) 为 True，{call} 却从未调用 lr。",
    },
    "lr_decay_advice_callable": {
        "en": "Test the kind of lr with callable(lr), not with its type: a function, a lambda, a functools.partial, a method and an object with __call__ are all callables.",
        "zh": "请用 callable(lr) 判断 lr 的种类，而不是看它的类型：函数、lambda、functools.partial、方法以及带有 __call__ 的对象都是可调用对象。",
    },
    "lr_decay_state_between_calls": {
        "en": "{call} gave another result when it ran the same descent again: something was kept from the earlier calls.",
        "zh": "{call} 再次运行同样的梯度下降时给出了不同的结果：之前的调用留下了某些东西。",
    },
    # --- 5.4 time_based_lambda -----------------------------------------------------------
    "lr_decay_advice_return_function": {
        "en": "Return a function, not its value: define def factor(epoch): … inside time_based_lambda and return factor without calling it.",
        "zh": "请返回一个函数，而不是它的值：在 time_based_lambda 内部定义 `def factor(epoch): …`，然后直接返回 `factor`，不要调用它。",
    },
    "lr_decay_shared_decay": {
        "en": "{what} is {got}, the value for decay = {other}: the two factors share one decay (a global variable or a class attribute), so the newer one wins ({expected} was expected).",
        "zh": "{what} 的值是 {got}，这是 `decay` = {other} 时的值：两个因子共用了同一个 `decay`（全局变量或类属性），于是后创建的那个覆盖了前一个（期望值为 {expected}）。",
    },
    "lr_decay_advice_closure": {
        "en": "Let each factor keep its own decay: define def factor(epoch): … inside time_based_lambda and return it (a closure), or store decay on a new object.",
        "zh": "让每个因子保存自己的 `decay`：在 time_based_lambda 内部定义 `def factor(epoch): …` 并返回它（闭包），或者把 `decay` 保存在一个新对象上。",
    },
    "lr_decay_factor_counts_calls": {
        "en": "{what} is {got}: the factor counts its own calls instead of reading epoch ({expected} was expected).",
        "zh": "{what} 的值是 {got}：这个因子在数自己被调用了几次，而没有读取 epoch（期望值为 {expected}）。",
    },
    "lr_decay_advice_epoch_only": {
        "en": "Compute the factor from epoch alone: LambdaLR may ask for the same epoch more than once, and other code may ask for any epoch.",
        "zh": "只根据 epoch 计算因子：LambdaLR 可能多次询问同一个 epoch，其他代码也可能询问任意 epoch。",
    },
    # --- conditions ----------------------------------------------------------------------
    "cond_lr_decay_method": {
        "en": "when {name} is a bound method",
        "zh": "当 {name} 是绑定方法时",
    },
    "cond_lr_decay_second_schedule": {
        "en": "when a second schedule with lr0 = {lr0} follows the first",
        "zh": "在第一个调度之后再计算 lr0 = {lr0} 的第二个调度时",
    },
    "cond_lr_decay_again": {
        "en": "when the same factor is asked for epochs {epochs} after {first}",
        "zh": "同一个因子在询问过 {first} 之后再被询问 {epochs} 时",
    },
}
