"""Messages of unit 6, the whole training loop: its named mistakes and conditions.

Keys carry the unit's name (`training_loop_eval_mode`); conditions are
`cond_training_loop_*`. Subjects (`what`, `call`, `name`) are code.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- calls that broke under a family of inputs -----------------------------------
    "training_loop_keyword_call_failed": {
        "en": "{call} raised TypeError: {signature} must accept its arguments by these names.",
        "zh": "{call} 抛出了 TypeError：{signature} 必须能按这些参数名接收参数。",
    },
    "training_loop_parameter_order": {
        "en": "{call} is wrong although the same call with keyword arguments is right: the parameters must come in this order, {signature}.",
        "zh": "{call} 的结果不对，而同样的参数按关键字传入时却是对的：参数必须按这个顺序排列：{signature}。",
    },
    "training_loop_advice_signature": {
        "en": "Keep the parameter names and their order from the exercise file's signature: callers may pass any argument by position or by name.",
        "zh": "请保留练习文件中函数签名的参数名和顺序：调用者可能按位置或按名称传入任何参数。",
    },
    "training_loop_raised": {
        "en": "{call} raised {error_type}: {message}",
        "zh": "{call} 抛出了 {error_type}：`{message}`",
    },
    "training_loop_raised_at": {
        "en": "{call} raised {error_type}: {message} ({file}, line {line}: {code})",
        "zh": "{call} 抛出了 {error_type}：`{message}`（{file} 第 {line} 行：`{code}`）",
    },
    "training_loop_numpy_requires_grad": {
        "en": "{call} raised RuntimeError: .numpy() does not work on a tensor that requires grad ({file}, line {line}: {code}).",
        "zh": "{call} 抛出了 RuntimeError：.numpy() 不能用于 requires_grad 为 True 的张量（{file} 第 {line} 行：`{code}`）。",
    },
    "training_loop_advice_stay_in_torch": {
        "en": "Take the arg-max with torch: logits.argmax(dim=1) works whether logits requires grad or not (or call .detach() before .numpy()).",
        "zh": "请用 torch 求最大值的下标：无论 logits 是否需要梯度，logits.argmax(dim=1) 都能用（或者在 .numpy() 之前先调用 .detach()）。",
    },
    # --- 6.1 train_epoch -----------------------------------------------------------------
    "training_loop_eval_mode": {
        "en": "{what} matches an epoch run in eval mode (model.eval()): nn.BatchNorm1d normalised with its running statistics and never updated them.",
        "zh": "{what} 与在 model.eval() 模式下运行的轮次一致：nn.BatchNorm1d 用的是累计统计量来归一化，并且从未更新它们。",
    },
    "training_loop_left_in_eval_mode": {
        "en": "{call} left the model in eval mode (model.training is False): the next epoch would not update the running statistics of nn.BatchNorm1d.",
        "zh": "{call} 让模型停留在了 model.eval() 模式（model.training 为 False）：下一个轮次将不会更新 nn.BatchNorm1d 的累计统计量。",
    },
    "training_loop_advice_train_mode": {
        "en": "Leave the model in train mode while it trains (do not call model.eval() in train_epoch).",
        "zh": "训练期间请让模型保持训练模式（不要在 train_epoch 里调用 model.eval()）。",
    },
    "training_loop_extra_forward": {
        "en": "{what} matches two forward passes per batch: the running statistics of nn.BatchNorm1d moved twice.",
        "zh": "{what} 与每个小批量做了两次前向传播的结果一致：nn.BatchNorm1d 的累计统计量被更新了两次。",
    },
    "training_loop_advice_one_forward": {
        "en": "Call model(x_batch) once per batch and compute the loss from that output.",
        "zh": "每个小批量只调用一次 model(x_batch)，并用这次的输出计算损失。",
    },
    "training_loop_generator_restarted": {
        "en": "{what} matches a second epoch that shuffled from a copy of the generator's first state, so it repeated the order of the first epoch.",
        "zh": "{what} 与这样的第二个轮次一致：它从 generator 最初状态的副本开始打乱，于是重复了第一个轮次的顺序。",
    },
    "training_loop_advice_draw_from_generator": {
        "en": "Draw from the generator itself, torch.randperm(len(x), generator=generator): its stream must go on from one epoch to the next.",
        "zh": "请直接从传入的 generator 抽取：torch.randperm(len(x), generator=generator)；它的随机数流应当从一个轮次延续到下一个轮次。",
    },
    "training_loop_fresh_generator": {
        "en": "{what} matches shuffles drawn from a new torch.Generator(): with generator=None, torch.randperm must draw from the global random state.",
        "zh": "{what} 与用新建的 torch.Generator() 打乱的结果一致：当 generator=None 时，torch.randperm 应当使用全局随机状态。",
    },
    "training_loop_reseeded": {
        "en": "{what} matches a run that called torch.manual_seed(0) itself: with generator=None, the global random state must be used as the caller left it, not seeded again.",
        "zh": "{what} 与自己调用了 torch.manual_seed(0) 的运行结果一致：当 generator=None 时，应当沿用调用者留下的全局随机状态，而不是重新设定种子。",
    },
    "training_loop_advice_pass_none_on": {
        "en": "Pass generator on as it came, None included: torch.randperm(len(x), generator=generator).",
        "zh": "请原样把 generator 传下去，包括 None：torch.randperm(len(x), generator=generator)。",
    },
    "training_loop_losses_kept": {
        "en": "{what} is the mean over the batches of earlier calls too: the batch losses of each call must start from an empty list.",
        "zh": "{what} 把之前调用的小批量也算进了平均值：每次调用的小批量损失都必须从一个空列表开始。",
    },
    "training_loop_advice_local_state": {
        "en": "Keep everything a call needs inside the function: a list defined outside it outlives the call.",
        "zh": "请把一次调用所需的一切都放在函数内部：定义在函数外面的列表在调用结束后仍然存在。",
    },
    # --- 6.2 accuracy --------------------------------------------------------------------
    "training_loop_accuracy_argmin": {
        "en": "{what} is {got}: it counts the rows whose arg-min equals the target; the prediction is the arg-max, the largest logit ({expected} was expected).",
        "zh": "{what} 的值是 {got}：它统计的是最小值下标（`argmin`）等于 target 的行；预测应当是最大值的下标（`argmax`），即 logits 中最大的那一个（期望值为 {expected}）。",
    },
    "training_loop_accuracy_wrong_dim": {
        "en": "{what} is {got}: the arg-max was taken over dim 0, down the rows; each row's prediction is the arg-max over its classes, dim=1 ({expected} was expected).",
        "zh": "{what} 的值是 {got}：最大值的下标是沿 `dim=0`（跨行）求的；每一行的预测应当是该行各类别中最大值的下标，即 `dim=1`（期望值为 {expected}）。",
    },
    "training_loop_accuracy_integer_division": {
        "en": "{what} is {got}: the count of correct rows was divided with //, which rounds down; use / ({expected} was expected).",
        "zh": "{what} 的值是 {got}：正确行数是用 // 相除的，结果被向下取整了；请用 /（期望值为 {expected}）。",
    },
    "training_loop_accuracy_overflow": {
        "en": "{what} is {got}: the logits went through exp() or sigmoid() before the arg-max, which overflow or saturate for large logits and lose their order ({expected} was expected).",
        "zh": "{what} 的值是 {got}：logits 在求最大值的下标之前经过了 exp() 或 sigmoid()，logits 很大时它们会溢出或饱和，丢掉原有的大小顺序（期望值为 {expected}）。",
    },
    "training_loop_advice_argmax_logits": {
        "en": "Take the arg-max of the logits themselves: softmax and sigmoid never change which class is largest.",
        "zh": "请直接对 logits 求最大值的下标：softmax 和 sigmoid 从不改变哪个类别最大。",
    },
    "training_loop_accuracy_kept": {
        "en": "{what} is {got}: it also counts the rows of an earlier call; each call counts only its own logits and target ({expected} was expected).",
        "zh": "{what} 的值是 {got}：它把之前某次调用的行也算了进去；每次调用只应统计它自己的 logits 和 target（期望值为 {expected}）。",
    },
    "training_loop_grad_touched": {
        "en": "{call} left a gradient in the caller's {name}.grad.",
        "zh": "{call} 在调用者的 {name}.grad 中留下了梯度。",
    },
    "training_loop_advice_no_backward": {
        "en": "Accuracy only reads the logits: no backward() in it.",
        "zh": "计算准确率只需读取 logits：其中不要调用 backward()。",
    },
    "training_loop_requires_grad_changed": {
        "en": "{call} changed {name}.requires_grad from {before} to {after}: a function leaves its inputs as they were.",
        "zh": "{call} 把 {name}.requires_grad 从 {before} 改成了 {after}：函数不应改变它的输入。",
    },
    # --- 6.3 train_classifier --------------------------------------------------------------
    "training_loop_decay_from_epoch_one": {
        "en": "{what} matches a schedule whose epoch 0 already used lr0 / (1 + decay): epoch 0 must use lr0, so step the scheduler after each epoch, not before.",
        "zh": "{what} 与第 0 个轮次就已使用 `lr0 / (1 + decay)` 的调度一致：第 0 个轮次应当使用 lr0，所以请在每个轮次之后调用 scheduler.step()，而不是之前。",
    },
    "training_loop_initial_weights_differ": {
        "en": "With epochs=0, {what} of the returned model differs from a freshly built nn.Sequential with PyTorch's default initialisation: build the model first, before anything else draws random numbers, and do not re-initialise it.",
        "zh": "当 `epochs=0` 时，返回模型的 {what} 与刚用 PyTorch 默认初始化构建的 nn.Sequential 不同：请最先构建模型，在此之前不要有任何随机数抽取，也不要重新初始化它。",
    },
    "training_loop_state_between_calls": {
        "en": "{call} gave another result the second time, with the same seed and inputs: something was kept from the earlier call.",
        "zh": "在种子和输入都相同的情况下，{call} 第二次给出了不同的结果：之前的调用留下了某些东西。",
    },
    # --- conditions ----------------------------------------------------------------------
    "cond_training_loop_function": {
        "en": "when {name} is the function {value}",
        "zh": "当 {name} 是函数 {value} 时",
    },
    "cond_training_loop_generator_again": {
        "en": "when the same generator is passed to the next epoch",
        "zh": "下一个轮次再传入同一个 generator 时",
    },
}
