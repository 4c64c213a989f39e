"""Messages of unit 3, updating parameters by hand: its named mistakes, advice and conditions.

Subjects are code (`sgd_step_(params, lr)`, `params[0]`, `fit_slope(xs, ys)`);
the conditions (`cond_manual_update_*`) name what the inputs were like when a
check found the problem.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- shared by the unit's tasks -------------------------------------------------
    "manual_update_signature_differs": {
        "en": "{got} does not take the parameters of the contract, {expected}.",
        "zh": "{got} 的参数与约定的 {expected} 不一致。",
    },
    "manual_update_advice_signature": {
        "en": "Keep the signature of the exercise file: the same parameter names, in the same order, with the same defaults.",
        "zh": "请保留练习文件中的签名：参数名、参数顺序和默认值都不要改。",
    },
    "manual_update_advice_no_state": {
        "en": "Keep nothing between calls: no module-level variable, and no default argument that is a list.",
        "zh": "两次调用之间不要保留任何东西：不要用模块级变量，也不要用列表作默认参数。",
    },
    # --- 3.1 sgd_step_ ---------------------------------------------------------------
    "manual_update_sign_flipped": {
        "en": "After {call}, {name} moved along +lr·{name}.grad, uphill: gradient descent subtracts lr·p.grad.",
        "zh": "调用 {call} 之后，{name} 沿 +lr·{name}.grad 的方向移动了，也就是往上坡走：梯度下降应当减去 lr·p.grad。",
    },
    "manual_update_lr_ignored": {
        "en": "After {call}, {name} moved by the whole gradient: the step is lr·p.grad, with lr = {lr}.",
        "zh": "调用 {call} 之后，{name} 移动了整个梯度：每一步应当是 lr·p.grad，其中 lr = {lr}。",
    },
    "manual_update_advice_subtract": {
        "en": "Subtract the scaled gradient in place: p -= lr * p.grad (or p.sub_(lr * p.grad)).",
        "zh": "原地减去乘以学习率的梯度：p -= lr * p.grad（或 p.sub_(lr * p.grad)）。",
    },
    "manual_update_zeroed_before_update": {
        "en": "After {call}, {name} still holds its old values and its gradient is zero: the gradient was cleared before the update used it.",
        "zh": "调用 {call} 之后，{name} 仍是原来的值，而它的梯度已经是零：梯度在被更新用到之前就被清零了。",
    },
    "manual_update_advice_update_then_clear": {
        "en": "First update p with p.grad, then clear p.grad.",
        "zh": "先用 p.grad 更新 p，再清除 p.grad。",
    },
    "manual_update_advice_skip_none_grad": {
        "en": "Skip every p whose p.grad is None, and leave its .grad as it is.",
        "zh": "跳过所有 p.grad 为 None 的参数 p，也不要改动它的 .grad。",
    },
    "manual_update_view_needs_contiguous": {
        "en": "{function} called .view() on a tensor whose memory is not contiguous, which PyTorch refuses.",
        "zh": "{function} 对内存不连续的张量调用了 .view()，PyTorch 不允许这样做。",
    },
    "manual_update_advice_reshape": {
        "en": "Update p as it is: p -= lr * p.grad works on any memory layout, with no .view() or reshaping.",
        "zh": "直接更新 p 本身：p -= lr * p.grad 适用于任何内存布局，不需要 .view() 或改变形状。",
    },
    "manual_update_none_grad_used": {
        "en": "{function} computed with a .grad that is None.",
        "zh": "{function} 用到了值为 None 的 .grad 进行计算。",
    },
    "manual_update_integer_w": {
        "en": "{function} made w from an int, but only floating-point tensors can require grad.",
        "zh": "{function} 用整数创建了 w，但只有浮点张量才能设置 requires_grad=True。",
    },
    "manual_update_advice_float_w": {
        "en": "Start from w = torch.tensor(float(w0), requires_grad=True); keep the default w0=1.0, a float.",
        "zh": "请从 w = torch.tensor(float(w0), requires_grad=True) 开始，并保留浮点数默认值 w0=1.0。",
    },
    "manual_update_generator_indexed": {
        "en": "{function} used params as a list (its length, an index), but a generator such as model.parameters() has neither.",
        "zh": "{function} 把 params 当作列表使用（求长度、取下标），但像 model.parameters() 这样的生成器两者都不支持。",
    },
    "manual_update_stale_params": {
        "en": "{call} left {name} as it was, although the same call worked on the first list it was given: it updates params kept from an earlier call instead of the ones passed in.",
        "zh": "{call} 没有改动 {name}，而同样的调用在它拿到的第一个列表上却是对的：它更新的是之前某次调用留下的参数，而不是本次传入的参数。",
    },
    "manual_update_returns_a_value": {
        "en": "{call} returned a {got}, but it must return None.",
        "zh": "{call} 返回了 {got}，但它应当返回 None。",
    },
    "manual_update_advice_return_none": {
        "en": "Change the params in place and return nothing.",
        "zh": "原地修改 params，不要返回任何值。",
    },
    "manual_update_earlier_params_changed": {
        "en": "{call} changed {name} of the list passed in an earlier call: update only the params of this call.",
        "zh": "{call} 修改了之前一次调用传入的列表中的 {name}：只应更新本次调用传入的参数。",
    },
    # --- 3.2 fit_slope ---------------------------------------------------------------
    "manual_update_first_sample_loss": {
        "en": "{what} records the loss of each epoch's first sample, but the loss of its last sample was expected.",
        "zh": "{what} 记录的是每个轮次第一个样本的损失，但期望的是该轮次最后一个样本的损失。",
    },
    "manual_update_loss_per_sample": {
        "en": "{what} records one loss per sample, but one loss per epoch was expected: that of the epoch's last sample.",
        "zh": "{what} 为每个样本都记录了一个损失，但期望每个轮次只记录一个：该轮次最后一个样本的损失。",
    },
    "manual_update_one_update_per_epoch": {
        "en": "{what} matches one update per epoch from the summed gradient, but fit_slope updates w after every sample.",
        "zh": "{what} 与每个轮次只用梯度之和更新一次的结果一致，但 fit_slope 应当在每个样本之后都更新 w。",
    },
    "manual_update_advice_per_sample": {
        "en": "Inside the loop over the samples, for each sample in turn: loss, backward(), update of w, then clear w.grad.",
        "zh": "在遍历样本的循环里，对每个样本依次：计算损失，调用 backward()，更新 w，再清除 w.grad。",
    },
    "manual_update_w0_ignored": {
        "en": "{what} matches a run that starts from w = 1.0 whatever w0 is: start from w0.",
        "zh": "{what} 与不管 w0 是多少都从 w = 1.0 开始的运行结果一致：应当从 w0 开始。",
    },
    "manual_update_slope_lr_ignored": {
        "en": "{what} matches a run with lr = 0.01 whatever lr is: use the lr passed in.",
        "zh": "{what} 与不管 lr 是多少都使用 lr = 0.01 的运行结果一致：应当使用传入的 lr。",
    },
    "manual_update_advice_use_arguments": {
        "en": "Use the values passed in fit_slope(xs, ys, w0, lr, epochs), not the defaults.",
        "zh": "请使用调用 fit_slope(xs, ys, w0, lr, epochs) 时传入的值，而不是默认值。",
    },
    "manual_update_losses_kept_between_calls": {
        "en": "{what} also returned the losses of earlier calls: the list of losses outlived its call (a module-level list, or a default argument such as fit_slope(xs, ys, losses=[])).",
        "zh": "{what} 返回的损失里还包含之前几次调用的损失：损失列表在调用结束后仍被保留（模块级列表，或者像 fit_slope(xs, ys, losses=[]) 这样的默认参数）。",
    },
    "manual_update_advice_read_only_lists": {
        "en": "Only read xs and ys: walk them with zip(xs, ys), without sorting, popping or appending.",
        "zh": "只读取传入的两个列表：用 zip(xs, ys) 遍历它们，不要排序、弹出或追加元素。",
    },
    "manual_update_no_autograd": {
        "en": "{call} never used autograd: dL/dw must come from loss.backward() (or torch.autograd.grad), not from a formula written by hand.",
        "zh": "{call} 完全没有使用 autograd：w 的梯度必须来自 loss.backward()（或 torch.autograd.grad），而不是手写的公式。",
    },
    "manual_update_advice_use_autograd": {
        "en": "Make w a tensor with requires_grad=True, call loss.backward() and read w.grad.",
        "zh": "把 w 设为 requires_grad=True 的张量，调用 loss.backward()，再读取 w.grad。",
    },
    # --- conditions -----------------------------------------------------------------
    "cond_manual_update_generator_of_params": {
        "en": "when params is a generator",
        "zh": "当 params 是生成器时",
    },
}
