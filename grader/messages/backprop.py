"""Unit 2, backpropagation: its named mistakes and conditions.

(The unit's older keys, such as `sum_instead_of_mean` or `bias_grad_not_summed`, are in
`core`, where other units use them too.) The subjects (`what`, `call`, `name`) are code,
such as `linear_backward(x, weight, bias, grad_output)[2]` or `logits`.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- conditions ----------------------------------------------------------------------
    "cond_backprop_eval_mode": {
        "en": "when the model is in eval mode (model.eval())",
        "zh": "当模型处于评估模式（model.eval()）时",
    },
    "cond_backprop_stale_grads": {
        "en": "when the model's .grad already holds old gradients",
        "zh": "当模型的 .grad 中已经存有旧梯度时",
    },
    "cond_backprop_parameters_require_grad": {
        "en": "when the parameters {names} require grad",
        "zh": "当参数 {names} 的 requires_grad 为 True 时",
    },
    "cond_backprop_missing_class": {
        "en": "when no sample of target is of the last class, {last}",
        "zh": "当 target 中没有任何样本属于最后一个类别 {last} 时",
    },
    # --- the unit's mistakes in core words, with their code written as code ----------------
    "advice_backprop_mean_loss": {
        "en": "The loss is the mean over the batch (nn.CrossEntropyLoss uses `reduction=\"mean\"` by default), so its gradient carries a factor 1/N.",
        "zh": "损失是对批量取平均（nn.CrossEntropyLoss 默认使用 `reduction=\"mean\"`），所以它的梯度带有因子 1/N。",
    },
    "backprop_float32_precision": {
        "en": "{what} agrees with the true gradient only to float32 precision (about 7 significant digits), but the inputs are float64: part of the computation ran in float32 (a .float(), or a tensor created without a dtype).",
        "zh": "{what} 只在 float32 精度（约 7 位有效数字）上与真正的梯度一致，而输入是 float64：有一部分计算是在 float32 下进行的（例如用了 .float()，或创建张量时没有指定 dtype）。",
    },
    # --- 2.1 layer_gradients -------------------------------------------------------------
    "backprop_softmax_before_loss": {
        "en": "{what} matches the loss of softmax(model(sample)): nn.CrossEntropyLoss takes the raw logits and applies `log_softmax` itself.",
        "zh": "{what} 与对 softmax(model(sample)) 计算损失的结果一致：nn.CrossEntropyLoss 接收的是原始 logits，它自己会做 `log_softmax`。",
    },
    "backprop_eval_mode": {
        "en": "{what} matches gradients computed in eval mode: the call switched the model to model.eval(), so its BatchNorm layer normalised with its running statistics instead of the batch's.",
        "zh": "{what} 与在评估模式下算出的梯度一致：调用中把模型切换成了 model.eval()，于是 `BatchNorm` 层用它的滑动统计量做归一化，而不是这一批数据的统计量。",
    },
    "backprop_train_mode": {
        "en": "{what} matches gradients computed in training mode: the call switched the model to model.train(), so its BatchNorm layer normalised with the batch's statistics instead of its running ones.",
        "zh": "{what} 与在训练模式下算出的梯度一致：调用中把模型切换成了 model.train()，于是 `BatchNorm` 层用这一批数据的统计量做归一化，而不是它的滑动统计量。",
    },
    "backprop_mode_changed": {
        "en": "After {call}, model.training is {got}, but it was {expected} before the call.",
        "zh": "调用 {call} 之后，model.training 是 {got}，而调用前是 {expected}。",
    },
    "advice_backprop_keep_mode": {
        "en": "Forward the model in the mode the caller left it in: do not call model.train() or model.eval() here.",
        "zh": "按调用者设定的模式做前向传播：这里不要调用 model.train() 或 model.eval()。",
    },
    "backprop_result_reused": {
        "en": "The dict that {call} returned for the first model changed when it was called for the second: every call returns the same dict (a module-level variable or a default argument).",
        "zh": "{call} 为第一个模型返回的字典，在为第二个模型调用它之后变了：每次调用返回的都是同一个字典（模块级变量或默认参数）。",
    },
    "advice_backprop_new_dict": {
        "en": "Build a new dict in every call: `{{name: p.grad.detach().clone() for name, p in model.named_parameters()}}`.",
        "zh": "每次调用都新建一个字典：`{{name: p.grad.detach().clone() for name, p in model.named_parameters()}}`。",
    },
    "backprop_loss_not_finite": {
        "en": "{what} holds {got} at index {index}, but every true gradient is finite: a hand-written loss such as log(softmax(logits)) takes log(0) for logits this far apart.",
        "zh": "{what} 在下标 {index} 处是 {got}，而真正的梯度处处有限：像 log(softmax(logits)) 这样手写的损失，在 logits 相差这么大时会出现 log(0)。",
    },
    "advice_backprop_use_cross_entropy": {
        "en": "Let nn.CrossEntropyLoss() compute the loss from the raw logits: it works with `log_softmax`, which never takes log(0).",
        "zh": "让 nn.CrossEntropyLoss() 直接从原始 logits 计算损失：它内部使用 `log_softmax`，不会出现 log(0)。",
    },
    # --- inputs of 2.2–2.5 ----------------------------------------------------------------
    "backprop_input_written": {
        "en": "{call} wrote into its input {name} (its version counter moved), even if the values were put back afterwards.",
        "zh": "{call} 写入了它的输入 {name}（版本计数器变了），即使之后把数值改了回去。",
    },
    "backprop_requires_grad_changed": {
        "en": "After {call}, {flag} is {got}, but it was {expected} before the call: the caller's tensor must keep its flag.",
        "zh": "调用 {call} 之后，{flag} 是 {got}，而调用前是 {expected}：调用者的张量应当保持原来的标志。",
    },
    "backprop_bias_grad_not_summed": {
        "en": "{what} has shape {got}: the bias is added to every row, so its gradient is summed over the batch (`dim=0`), giving shape {expected}.",
        "zh": "{what} 的形状是 {got}：偏置被加到了每一行上，所以它的梯度要沿批量维（`dim=0`）求和，得到形状 {expected}。",
    },
    "backprop_bias_grad_wrong_dim": {
        "en": "{what} has shape {got}: it was summed over the outputs (`dim=1`), but the bias gradient is summed over the batch (`dim=0`), giving shape {expected}.",
        "zh": "{what} 的形状是 {got}：它是沿输出维（`dim=1`）求和的，而偏置的梯度应当沿批量维（`dim=0`）求和，得到形状 {expected}。",
    },
    "backprop_bias_grad_summed_all": {
        "en": "{what} has shape {got}: summing over everything mixes the outputs; sum over the batch only (`dim=0`) to get shape {expected}.",
        "zh": "{what} 的形状是 {got}：对所有元素求和会把不同输出混在一起；只沿批量维（`dim=0`）求和，得到形状 {expected}。",
    },
    # --- 2.3 sigmoid_backward ----------------------------------------------------------------
    "backprop_sigmoid_overflow": {
        "en": "{what} holds {got} at index {index}, but the true gradient is finite: the sigmoid was written with exp(), which overflows, as in exp(x) / (1 + exp(x)) or exp(−x) / (1 + exp(−x))².",
        "zh": "{what} 在下标 {index} 处是 {got}，而真正的梯度是有限的：sigmoid 是用 exp() 写的，而 exp() 会溢出，例如 exp(x) / (1 + exp(x)) 或 exp(−x) / (1 + exp(−x))² 这样的写法。",
    },
    "advice_backprop_stable_sigmoid": {
        "en": "Use torch.sigmoid, which never overflows: s = torch.sigmoid(x) of the sigmoid's input x, then s * (1 - s).",
        "zh": "使用不会溢出的 torch.sigmoid：对 sigmoid 的输入 x 求 s = torch.sigmoid(x)，再计算 s * (1 - s)。",
    },
    # --- 2.4 and 2.5: cross-entropy -----------------------------------------------------------
    "backprop_no_max_trick": {
        "en": "{what} holds {got} at index {index}, but the true gradient is finite: exp(logits) overflowed, because the softmax was computed without subtracting each row's maximum first.",
        "zh": "{what} 在下标 {index} 处是 {got}，而真正的梯度是有限的：exp(logits) 溢出了，因为计算 softmax 之前没有先减去每一行的最大值。",
    },
    "backprop_global_max": {
        "en": "{what} holds {got} at index {index}: one maximum for the whole batch was subtracted, so in the rows far below it every exp() underflows to 0 (and 0 / 0 is nan).",
        "zh": "{what} 在下标 {index} 处是 {got}：减去的是整个批量共用的一个最大值，于是在远低于它的那些行里，每个 exp() 都下溢为 0（而 0 / 0 是 nan）。",
    },
    "advice_backprop_max_trick": {
        "en": "Subtract each row's own maximum before exp(): `logits - logits.max(dim=1, keepdim=True).values`, or use torch.softmax(logits, dim=1).",
        "zh": "在 exp() 之前减去每一行自己的最大值：`logits - logits.max(dim=1, keepdim=True).values`，或者直接用 torch.softmax(logits, dim=1)。",
    },
    "backprop_softmax_forgotten": {
        "en": "{what} is built from logits − one_hot(target): the softmax of the logits is missing.",
        "zh": "{what} 是由 logits − one_hot(target) 得到的：缺少对 logits 的 softmax。",
    },
    "backprop_softmax_wrong_dim": {
        "en": "{what} looks like a softmax over the batch (`dim=0`): take the softmax over the classes of each row (`dim=1`).",
        "zh": "{what} 看起来是沿批量维（`dim=0`）做的 softmax：应当对每一行的各个类别（`dim=1`）做 softmax。",
    },
    "backprop_one_hot_forgotten": {
        "en": "{what} looks like softmax(logits) / N: the one-hot encoding of target, one_hot(target), was not subtracted.",
        "zh": "{what} 看起来是 softmax(logits) / N：没有减去 target 的独热编码 one_hot(target)。",
    },
    "advice_backprop_softmax": {
        "en": "Compute torch.softmax(logits, dim=1), subtract the one-hot targets (torch.nn.functional.one_hot(target, num_classes)), and divide by N.",
        "zh": "先计算 torch.softmax(logits, dim=1)，减去独热编码形式的目标（torch.nn.functional.one_hot(target, num_classes)），再除以 N。",
    },
    "backprop_divided_by_classes": {
        "en": "{what} is divided by C = {classes}, the number of classes; the loss is the mean over the N = {n} samples.",
        "zh": "{what} 除以的是类别数 C = {classes}；损失是对 N = {n} 个样本取平均。",
    },
    "advice_backprop_num_classes": {
        "en": "Give the number of classes explicitly: torch.nn.functional.one_hot(target, num_classes=logits.shape[1]).",
        "zh": "明确给出类别数：torch.nn.functional.one_hot(target, num_classes=logits.shape[1])。",
    },
}
