"""Messages of unit 4, stochastic gradient descent: its named mistakes, advice and conditions.

Subjects are code (`mse(y_hat, y)`, `SGD(params, lr=0.1)`, `params[0]`); the
conditions (`cond_sgd_*`) name what the inputs were like when a check found
the problem.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- shared by the unit's tasks -------------------------------------------------
    "sgd_view_needs_contiguous": {
        "en": "{function} called .view() on a tensor whose memory is not contiguous, which PyTorch refuses.",
        "zh": "{function} 对内存不连续的张量调用了 .view()，PyTorch 不允许这样做。",
    },
    "sgd_advice_reshape": {
        "en": "Use .reshape() or .flatten(), which work on any memory layout; element-wise operations and .mean() need no reshaping at all.",
        "zh": "请改用 .reshape() 或 .flatten()，它们适用于任何内存布局；逐元素运算和 .mean() 根本不需要改变形状。",
    },
    "sgd_signature_differs": {
        "en": "{got} does not take the parameters of the contract, {expected}.",
        "zh": "{got} 的参数与约定的 {expected} 不一致。",
    },
    "sgd_advice_signature": {
        "en": "Keep the signature of the exercise file: the same parameter names, in the same order, with the same defaults.",
        "zh": "请保留练习文件中的签名：参数名、参数顺序和默认值都不要改。",
    },
    "sgd_advice_advance_generator": {
        "en": "Pass the generator itself on to torch.randperm: no copy of it, no new seed, no permutation kept from an earlier call.",
        "zh": "请把 generator 本身传给 torch.randperm：不要复制它，不要重新设定种子，也不要沿用之前调用得到的排列。",
    },
    # --- 4.1 mse --------------------------------------------------------------------
    "sgd_mse_divided_by_rows": {
        "en": "{what} divides the sum of squares by len(y_hat) = {rows}, the number of rows, instead of by the number of elements, {n}.",
        "zh": "{what} 把平方和除以 len(y_hat) = {rows}（行数），而不是除以元素个数 {n}。",
    },
    "sgd_advice_numel": {
        "en": "Divide by y_hat.numel(), or use .mean(), which averages over every element.",
        "zh": "请除以 y_hat.numel()，或者使用 .mean()，它对所有元素取平均。",
    },
    "sgd_mse_root": {
        "en": "{what} matches the square root of the mean squared error: the loss is the mean itself, without the root.",
        "zh": "{what} 与均方误差的平方根一致：损失就是平均值本身，不要开平方根。",
    },
    "sgd_mse_absolute": {
        "en": "{what} matches the mean of the absolute differences: square the differences instead.",
        "zh": "{what} 与差值绝对值的平均值一致：应当对差值取平方。",
    },
    "sgd_mse_square_of_mean": {
        "en": "{what} matches the square of the mean difference: square each difference first, then average.",
        "zh": "{what} 与平均差值的平方一致：应当先对每个差值取平方，再取平均。",
    },
    "sgd_mse_no_gradient": {
        "en": "No gradient flows from {what} back to {name}: the result is cut off from the autograd graph.",
        "zh": "梯度无法从 {what} 回传到 {name}：结果与 autograd 的计算图断开了。",
    },
    "sgd_mse_called_backward": {
        "en": "{call} filled {name}.grad itself: a loss only builds the graph, and the caller calls backward().",
        "zh": "{call} 自己填写了 {name}.grad：损失函数只负责建立计算图，backward() 由调用者来调用。",
    },
    "sgd_advice_stay_in_torch": {
        "en": "Stay in torch operations on y_hat and y: no .item(), .detach(), y_hat.data, .numpy(), torch.tensor(...) or torch.no_grad() inside mse().",
        "zh": "请全程对 y_hat 和 y 使用 torch 运算：mse() 内部不要用 .item()、.detach()、y_hat.data、.numpy()、torch.tensor(...) 或 torch.no_grad()。",
    },
    "sgd_numpy_cuts_the_graph": {
        "en": "{function} called .numpy() on a tensor that requires grad: numpy arrays have no autograd graph, so no gradient could flow.",
        "zh": "{function} 对需要梯度的张量调用了 .numpy()：numpy 数组没有 autograd 计算图，梯度无法回传。",
    },
    "sgd_advice_loss_only": {
        "en": "Return the loss tensor; do not call backward() inside mse().",
        "zh": "请直接返回损失张量；不要在 mse() 内部调用 backward()。",
    },
    # --- 4.2 minibatches -----------------------------------------------------------
    "sgd_batches_fixed_seed": {
        "en": "{what} matches a permutation drawn after seeding with 0 inside minibatches(): a fixed seed gives the same batches at every call.",
        "zh": "{what} 与在 minibatches() 内部用种子 0 重新播种后抽取的排列一致：固定的种子让每次调用都得到同样的小批量。",
    },
    "sgd_empty_last_batch": {
        "en": "{what} ends with an empty batch: {n} indices make exactly {count} batches of {batch_size}.",
        "zh": "{what} 的最后多了一个空的小批量：{n} 个下标正好组成 {count} 个大小为 {batch_size} 的小批量。",
    },
    "sgd_batches_by_count": {
        "en": "{what} matches torch.chunk or tensor_split into {count} pieces of nearly equal size; the batches have batch_size = {batch_size} indices each, but the last.",
        "zh": "{what} 与用 torch.chunk 或 tensor_split 切成 {count} 段大致等长的结果一致；除最后一个小批量外，每个小批量都应当有 batch_size = {batch_size} 个下标。",
    },
    "sgd_batches_stop_early": {
        "en": "{what} lacks its last batch: the loop over the start indices stops too early; the starts are range(0, n, batch_size).",
        "zh": "{what} 缺少最后一个小批量：遍历起始下标的循环结束得太早；起始下标应当是 range(0, n, batch_size)。",
    },
    "sgd_batches_generator_not_followed": {
        "en": "{what} has the right batch sizes but not the order of torch.randperm(n, generator=generator): draw the permutation from the generator passed in, once per call.",
        "zh": "{what} 的批量大小是对的，但顺序与 torch.randperm(n, generator=generator) 不同：每次调用都要用传入的 generator 抽取一次排列。",
    },
    "sgd_batches_global_seed_not_followed": {
        "en": "{what} does not follow the global random state: with generator=None, torch.randperm(n, generator=None) draws from the global generator that torch.manual_seed seeds.",
        "zh": "{what} 没有使用全局随机状态：当 generator=None 时，torch.randperm(n, generator=None) 会从 torch.manual_seed 所设定的全局随机数生成器中抽取。",
    },
    "sgd_batches_repeat": {
        "en": "{what} gave the same batches as the first call: the generator must advance, so that each call draws a new permutation.",
        "zh": "{what} 给出的小批量与第一次调用相同：generator 的状态必须向前推进，每次调用都抽取一个新的排列。",
    },
    # --- 4.3 SGD --------------------------------------------------------------------
    "sgd_momentum_not_kept": {
        "en": "{what} matches plain SGD without momentum: the momentum buffer was not kept from one step to the next.",
        "zh": "{what} 与不带动量的普通 SGD 一致：动量缓冲没有从一步保留到下一步。",
    },
    "sgd_dampening_applied": {
        "en": "{what} matches momentum with dampening (buffer = momentum·buffer + (1 − momentum)·d): torch.optim.SGD(dampening=0) adds the whole d.",
        "zh": "{what} 与带阻尼的动量一致（buffer = momentum·buffer + (1 − momentum)·d）：torch.optim.SGD(dampening=0) 会把完整的 d 加进缓冲。",
    },
    "sgd_weight_decay_ignored": {
        "en": "{what} matches a run without weight decay: weight_decay·p was never added to the gradient.",
        "zh": "{what} 与没有权重衰减的运行结果一致：weight_decay·p 从未被加到梯度上。",
    },
    "sgd_weight_decay_after_momentum": {
        "en": "{what} matches weight decay applied after momentum: weight_decay·p joins the gradient before it enters the momentum buffer.",
        "zh": "{what} 与在动量之后才施加权重衰减的结果一致：weight_decay·p 应当在梯度进入动量缓冲之前就加到梯度上。",
    },
    "sgd_nesterov_ignored": {
        "en": "{what} matches plain momentum: nesterov=True was ignored.",
        "zh": "{what} 与普通动量的结果一致：nesterov=True 被忽略了。",
    },
    "sgd_nesterov_raw_gradient": {
        "en": "{what} matches a Nesterov step along p.grad + momentum·buffer: the gradient in that sum must include weight_decay·p too.",
        "zh": "{what} 与沿 p.grad + momentum·buffer 方向、按 nesterov=True 更新的结果一致：这个和式中的梯度也必须包含 weight_decay·p。",
    },
    "sgd_lr_cached": {
        "en": "{what} matches a run that keeps the learning rate given at construction: a changed param_groups[0][\"lr\"] must apply from the next step.",
        "zh": "{what} 与一直使用构造时学习率的运行结果一致：修改后的 param_groups[0][\"lr\"] 应当从下一步起生效。",
    },
    "sgd_lr_in_buffer": {
        "en": "{what} matches a momentum buffer that stores lr·gradient: torch.optim.SGD keeps the gradients themselves in the buffer and multiplies by the current lr at every step.",
        "zh": "{what} 与在动量缓冲里存放 lr·梯度的结果一致：torch.optim.SGD 在缓冲中保存的是梯度本身，每一步再乘以当前的 lr。",
    },
    "sgd_advice_momentum_buffer": {
        "en": "Keep one buffer per parameter in self.state[p], with d = p.grad + weight_decay * p: the first buffer is d.clone(), later buffer = momentum * buffer + d.",
        "zh": "在 self.state[p] 中为每个参数保存一个缓冲，其中 d = p.grad + weight_decay * p：第一次的缓冲是 d.clone()，之后 buffer = momentum * buffer + d。",
    },
    "sgd_advice_weight_decay_first": {
        "en": "Start step() with d = p.grad + weight_decay * p, and use that d for the momentum buffer.",
        "zh": "在 step() 开始时先计算 d = p.grad + weight_decay * p，再用这个 d 更新动量缓冲。",
    },
    "sgd_advice_nesterov": {
        "en": "With nesterov=True, update the buffer first, then step along d + momentum * buffer, where d = p.grad + weight_decay * p.",
        "zh": "当 nesterov=True 时，先更新缓冲，再沿 d + momentum * buffer 更新，其中 d = p.grad + weight_decay * p。",
    },
    "sgd_advice_read_lr": {
        "en": "Read lr from self.param_groups inside step(), at every step, and multiply by it there.",
        "zh": "在 step() 中每一步都从 self.param_groups 读取 lr，并在那里乘上它。",
    },
    "sgd_zero_grads_skipped": {
        "en": "{what} skips parameters whose gradient is all zeros: torch.optim.SGD still applies weight decay and momentum to them and skips only a p.grad that is None.",
        "zh": "{what} 跳过了梯度全为零的参数：torch.optim.SGD 仍会对它们施加权重衰减和动量，只跳过 p.grad 为 None 的参数。",
    },
    "sgd_advice_zero_grads": {
        "en": "Skip a parameter only when p.grad is None, never because its gradient is zero.",
        "zh": "只有当 p.grad 为 None 时才跳过参数，不要因为梯度为零而跳过。",
    },
    "sgd_none_grad_as_zeros": {
        "en": "{what} treats a missing gradient as zeros, so weight decay and momentum still moved the parameter: a param whose .grad is None is skipped altogether.",
        "zh": "{what} 把缺失的梯度当作零，于是权重衰减和动量仍然移动了参数：.grad 为 None 的参数应当整个跳过。",
    },
    "sgd_step_cleared_grad": {
        "en": "After {call}, {name}.grad is None: step() leaves the gradients as they are; clearing them is the job of zero_grad().",
        "zh": "调用 {call} 之后，{name}.grad 变成了 None：step() 不应改动梯度；清除梯度是 zero_grad() 的工作。",
    },
    "sgd_step_changed_grad": {
        "en": "After {call}, {name}.grad is no longer the gradient that was there before: step() only reads p.grad.",
        "zh": "调用 {call} 之后，{name}.grad 不再是调用之前的那个梯度：step() 只能读取 p.grad。",
    },
    "sgd_advice_step_reads_grad": {
        "en": "In step(), build new tensors (d = p.grad.add(p, alpha=weight_decay)) and never write into p.grad.",
        "zh": "在 step() 中请生成新的张量（d = p.grad.add(p, alpha=weight_decay)），不要写入 p.grad。",
    },
    "sgd_buffer_aliases_grad": {
        "en": "{what} goes wrong when each new gradient is written into the same p.grad tensor: the momentum buffer is p.grad itself, not a copy, so it changes with every gradient.",
        "zh": "当每个新梯度都写入同一个 p.grad 张量时，{what} 就出错了：动量缓冲就是 p.grad 本身，而不是它的副本，所以会随每个新梯度一起改变。",
    },
    "sgd_advice_clone_buffer": {
        "en": "Start the buffer as a copy: buffer = gradient.clone().",
        "zh": "第一次创建缓冲时请复制：buffer = gradient.clone()。",
    },
    "sgd_state_shared": {
        "en": "{what} goes wrong only while another SGD is alive: the optimizers share state (a class attribute or a module-level variable).",
        "zh": "只有在另一个 SGD 同时存在时 {what} 才会出错：这些优化器共享了状态（类属性或模块级变量）。",
    },
    "sgd_state_left_over": {
        "en": "{what} is wrong from its first step on, where the momentum buffer is only a copy of d: it used state left over from an earlier SGD (a class attribute or a module-level variable).",
        "zh": "{what} 从第一步起就错了，而第一步的动量缓冲只是 d 的副本：它用上了之前某个 SGD 留下的状态（类属性或模块级变量）。",
    },
    "sgd_advice_skip_none_grad": {
        "en": "Skip every p whose p.grad is None, before anything else: no weight decay and no momentum for it.",
        "zh": "首先跳过所有 p.grad 为 None 的参数 p：既不施加权重衰减，也不更新它的动量。",
    },
    "sgd_shapes_mixed": {
        "en": "{function} combined tensors of different shapes: a buffer or a gradient that belongs to another parameter was used.",
        "zh": "{function} 把形状不同的张量放在了一起运算：用上了属于另一个参数的缓冲或梯度。",
    },
    "sgd_advice_state_per_param": {
        "en": "Keep one buffer per parameter, keyed by the parameter itself (self.state[p]), on the instance.",
        "zh": "为每个参数单独保存一个缓冲，以参数本身为键（self.state[p]），并保存在实例上。",
    },
    "sgd_advice_state_in_self": {
        "en": "Create every piece of state in __init__, on the instance (self.state, self.param_groups), never as a class attribute or a global.",
        "zh": "所有状态都应在 __init__ 中创建并保存在实例上（self.state、self.param_groups），不要放在类属性或全局变量里。",
    },
    "sgd_wrong_defaults": {
        "en": "{call} differs from the same call with momentum=0.0, weight_decay=0.0 and nesterov=False: the defaults must be those of {expected}.",
        "zh": "{call} 与显式传入 momentum=0.0、weight_decay=0.0 和 nesterov=False 的同一调用结果不同：默认值必须与 {expected} 一致。",
    },
    "sgd_zero_grad_resets_momentum": {
        "en": "{call} also reset the momentum buffers: it must only clear the gradients, and momentum carries on after it.",
        "zh": "{call} 把动量缓冲也重置了：它只应清除梯度，之后动量还要继续累积。",
    },
    "sgd_advice_zero_grad_only": {
        "en": "In zero_grad(), set p.grad = None (or zero it) and leave self.state alone.",
        "zh": "在 zero_grad() 中令 p.grad = None（或把它清零），不要动 self.state。",
    },
    # --- 4.4 train_linear_regression -----------------------------------------------
    "sgd_regression_copy_not_a_leaf": {
        "en": "{function} works on a copy of a0 that is still part of a0's autograd graph: when a0 requires grad, a0.clone() is not a leaf, so it gets no .grad of its own.",
        "zh": "{function} 使用的 a0 副本仍然属于 a0 的 autograd 计算图：当 a0 需要梯度时，a0.clone() 不是叶子张量，它不会有自己的 .grad。",
    },
    "sgd_regression_filled_a0_grad": {
        "en": "{call} filled the caller's a0.grad: the copy a is still attached to a0 in the autograd graph.",
        "zh": "{call} 填写了调用者的 a0.grad：副本 a 在 autograd 计算图中仍与 a0 相连。",
    },
    "sgd_advice_detach_copy": {
        "en": "Copy the start without its history: a = a0.detach().clone().requires_grad_(True).",
        "zh": "复制起点时要去掉它的计算历史：a = a0.detach().clone().requires_grad_(True)。",
    },
    "sgd_regression_divided_by_n": {
        "en": "{what} matches batch losses divided by len(x) instead of by the batch size: the loss of a step is the mean over its batch.",
        "zh": "{what} 与把小批量损失除以 len(x)（而不是批量大小）的结果一致：每一步的损失是该小批量上的平均值。",
    },
    "sgd_float32_precision": {
        "en": "{what} agrees with the true descent only to float32 precision (about 7 significant digits), but the inputs are float64: part of the loop ran in float32 (a .float(), or a tensor created without a dtype).",
        "zh": "{what} 只在 float32 精度（约 7 位有效数字）上与真正的下降过程一致，而输入是 float64：循环中有一部分是在 float32 下进行的（例如用了 .float()，或创建张量时没有指定 dtype）。",
    },
    "sgd_regression_full_data_loss": {
        "en": "{what} matches losses measured on the whole data set: record the loss of the batch that each step trains on.",
        "zh": "{what} 与在整个数据集上计算的损失一致：请记录每一步所训练的那个小批量的损失。",
    },
    "sgd_regression_same_run_twice": {
        "en": "{what} gave the same run twice with one generator: the generator must advance, so that the second run draws new batches.",
        "zh": "用同一个 generator 调用两次，{what} 两次的结果完全相同：generator 的状态必须向前推进，第二次运行才会抽到新的小批量。",
    },
    "sgd_regression_no_autograd": {
        "en": "{call} never used autograd: the gradient must come from loss.backward() (or torch.autograd.grad), not from a formula written by hand.",
        "zh": "{call} 完全没有使用 autograd：梯度必须来自 loss.backward()（或 torch.autograd.grad），而不是手写的公式。",
    },
    "sgd_advice_use_autograd": {
        "en": "Make a require grad, call loss.backward() and read a.grad.",
        "zh": "让 a 需要梯度，调用 loss.backward()，再读取 a.grad。",
    },
    # --- conditions -----------------------------------------------------------------
    "cond_sgd_after_global_seed": {
        "en": "after torch.manual_seed({seed})",
        "zh": "在 torch.manual_seed({seed}) 之后",
    },
    "cond_sgd_in_place_grads": {
        "en": "when each new gradient is written into the same p.grad tensor, as backward() does after zero_grad(set_to_none=False)",
        "zh": "当每个新梯度都写入同一个 p.grad 张量时（就像 zero_grad(set_to_none=False) 之后的 backward() 那样）",
    },
    "cond_sgd_lr_changed": {
        "en": "when param_groups[0][\"lr\"] is set to {lr} before step {step}",
        "zh": "在第 {step} 步之前把 param_groups[0][\"lr\"] 改为 {lr} 时",
    },
    "cond_sgd_generator_of_params": {
        "en": "when params is a generator",
        "zh": "当 params 是生成器时",
    },
}
