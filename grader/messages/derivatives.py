"""Unit 1, derivatives and gradient descent: its named mistakes and conditions.

The subjects (`what`, `call`, `name`) are code, such as `central_difference(f, x, h=0.5)`
or `x`; what the inputs were like is a condition (`cond_*`), composed by `grader.feedback`.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- conditions ----------------------------------------------------------------------
    "cond_derivatives_module": {
        "en": "when {name} is an nn.Module with a trainable parameter",
        "zh": "当 {name} 是带有可训练参数的 nn.Module 时",
    },
    "cond_derivatives_existing_grad": {
        "en": "when {name}.grad already holds the caller's gradient",
        "zh": "当 {name}.grad 中已经存有调用者的梯度时",
    },
    "cond_derivatives_non_leaf": {
        "en": "when {name} = 2 * w is computed from a tensor w that requires grad",
        "zh": "当 {name} = 2 * w 由一个 requires_grad=True 的张量 w 计算而来时",
    },
    "cond_derivatives_identity_gradient": {
        "en": "when {name} returns its argument (the gradient of ‖x‖² / 2)",
        "zh": "当 {name} 直接返回它的参数（即 ‖x‖² / 2 的梯度）时",
    },
    # --- 1.1 central_difference ----------------------------------------------------------
    "derivatives_forward_difference": {
        "en": "{what} matches the forward difference (f(x + h·e_i) − f(x)) / h, not the central difference (f(x + h·e_i) − f(x − h·e_i)) / (2h).",
        "zh": "{what} 与前向差分 (f(x + h·e_i) − f(x)) / h 一致，而不是中心差分 (f(x + h·e_i) − f(x − h·e_i)) / (2h)。",
    },
    "derivatives_backward_difference": {
        "en": "{what} matches the backward difference (f(x) − f(x − h·e_i)) / h, not the central difference (f(x + h·e_i) − f(x − h·e_i)) / (2h).",
        "zh": "{what} 与后向差分 (f(x) − f(x − h·e_i)) / h 一致，而不是中心差分 (f(x + h·e_i) − f(x − h·e_i)) / (2h)。",
    },
    "derivatives_divided_by_h": {
        "en": "{what} is twice the central difference: f(x + h·e_i) − f(x − h·e_i) spans 2h, so divide by 2h, not by h.",
        "zh": "{what} 是中心差分的两倍：f(x + h·e_i) − f(x − h·e_i) 跨越的宽度是 2h，所以应当除以 2h，而不是 h。",
    },
    "derivatives_all_at_once": {
        "en": "{what} holds the same value everywhere, (f(x + h) − f(x − h)) / (2h): every element was moved at once; element i needs a step h·e_i of its own.",
        "zh": "{what} 处处是同一个值 (f(x + h) − f(x − h)) / (2h)：所有元素被同时移动了；第 i 个元素需要它自己的步长 h·e_i。",
    },
    "derivatives_exact_gradient": {
        "en": "{what} matches the exact gradient, not the difference quotient: with a finite h the task asks for (f(x + h·e_i) − f(x − h·e_i)) / (2h) itself.",
        "zh": "{what} 与精确梯度一致，而不是差商：在 h 有限时，本任务要的就是 (f(x + h·e_i) − f(x − h·e_i)) / (2h) 本身。",
    },
    "derivatives_h_ignored": {
        "en": "{what} matches the central difference with h = {used}, not with the h = {h} that was passed: use the h argument.",
        "zh": "{what} 与 h = {used} 的中心差分一致，而不是传入的 h = {h}：请使用参数 h。",
    },
    "derivatives_wrong_default_h": {
        "en": "{what} matches the central difference with h = {used}: the default of h is 1e-4.",
        "zh": "{what} 与 h = {used} 的中心差分一致：h 的默认值是 1e-4。",
    },
    "derivatives_writes_lost": {
        "en": "{what} is zero everywhere: the values were written into a copy. reshape(-1) and flatten() copy a non-contiguous tensor (and torch.zeros_like keeps x's memory layout), so writing through them never reaches the original.",
        "zh": "{what} 处处为零：数值被写进了一个副本。对非连续张量，reshape(-1) 和 flatten() 会返回副本（而 torch.zeros_like 会保留 x 的内存布局），所以通过它们写入的值到不了原张量。",
    },
    "derivatives_input_written": {
        "en": "{call} wrote into its input {name} (its version counter moved), even if the values were put back afterwards.",
        "zh": "{call} 写入了它的输入 {name}（版本计数器变了），即使之后把数值改了回去。",
    },
    # --- 1.2 autograd_gradient -------------------------------------------------------------
    "derivatives_numerical_not_autograd": {
        "en": "{what} matches a central-difference estimate with h = {used}, not the exact gradient: compute it with autograd (torch.autograd.grad or backward()).",
        "zh": "{what} 与 h = {used} 的中心差分估计一致，而不是精确梯度：请用 autograd（torch.autograd.grad 或 backward()）计算。",
    },
    "derivatives_grad_set": {
        "en": "After {call}, {name}.grad is set, but it was None: the gradient was taken on {name} itself, not on a detached copy.",
        "zh": "调用 {call} 之后，{name}.grad 被赋了值，而调用前它是 None：梯度是在 {name} 本身上求的，而不是在脱离计算图的副本上。",
    },
    "derivatives_grad_changed": {
        "en": "After {call}, {name}.grad no longer holds the gradient the caller had stored there.",
        "zh": "调用 {call} 之后，{name}.grad 不再是调用者原先存放在那里的梯度。",
    },
    "derivatives_requires_grad_changed": {
        "en": "After {call}, {name}.requires_grad is {got}, but it was {expected} before the call.",
        "zh": "调用 {call} 之后，{name}.requires_grad 是 {got}，而调用前是 {expected}。",
    },
    "advice_derivatives_detached_copy": {
        "en": "Take the gradient on a copy, `point = x.detach().clone().requires_grad_(True)`, then `torch.autograd.grad(f(point), point)`; never touch x, its .grad or its requires_grad.",
        "zh": "在副本上求梯度：`point = x.detach().clone().requires_grad_(True)`，再调用 `torch.autograd.grad(f(point), point)`；不要改动 x、它的 .grad 或它的 requires_grad。",
    },
    # --- 1.3 gradient_descent ----------------------------------------------------------------
    "derivatives_gradient_at_x0": {
        "en": "{what} takes every step with grad_fn(x0): each step must use the gradient at the current iterate, grad_fn(x_t).",
        "zh": "{what} 每一步都用了 grad_fn(x0)：每一步都应当使用当前迭代点处的梯度 grad_fn(x_t)。",
    },
    "derivatives_same_tensor_appended": {
        "en": "{what} repeats the last iterate in every row: one tensor was appended again and again and updated in place, so every row shows its final value.",
        "zh": "{what} 的每一行都是最后一个迭代点：同一个张量被反复追加并原地更新，所以每一行显示的都是它最终的值。",
    },
    "derivatives_missing_x0": {
        "en": "{what} leaves out x0: the first row must be x0 itself, followed by the `steps` iterates.",
        "zh": "{what} 漏掉了 x0：第一行必须是 x0 本身，后面才是 `steps` 个迭代点。",
    },
    "derivatives_one_step_too_many": {
        "en": "{what} has {got} rows: it makes one step too many (`steps + 1` = {expected} rows, x0 included).",
        "zh": "{what} 有 {got} 行：它多走了一步（应当是 `steps + 1` = {expected} 行，包括 x0）。",
    },
    "derivatives_iterates_kept": {
        "en": "{what} has {got} rows, and only its last {expected} are this call's iterates: the list of iterates was kept from an earlier call (a mutable default argument such as `iterates=[]`, or a module-level list).",
        "zh": "{what} 有 {got} 行，其中只有最后 {expected} 行是这次调用的迭代点：迭代点列表是从之前的调用中留下来的（例如 `iterates=[]` 这样的可变默认参数，或模块级的列表）。",
    },
    "advice_derivatives_new_list": {
        "en": "Start a new list inside the function on every call: `iterates = [x0.detach().clone()]`.",
        "zh": "每次调用都在函数内部新建列表：`iterates = [x0.detach().clone()]`。",
    },
    "advice_derivatives_append_copy": {
        "en": "Write `x = x - lr * grad_fn(x)` (a new tensor each step), or append `x.clone()`.",
        "zh": "写成 `x = x - lr * grad_fn(x)`（每一步得到一个新张量），或者追加 `x.clone()`。",
    },
}
