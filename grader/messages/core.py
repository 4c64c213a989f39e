"""The messages every unit shares: feedback of failed checks, advice, whole-task problems, the interface.

Keys used by one unit only live in that unit's module (`grader/messages/<unit>.py`)
and carry its name (`sgd_sum_instead_of_mean`).
"""

MESSAGES: dict[str, dict[str, str]] = {
    # --- feedback of a failed check -------------------------------------------------
    "wrong_type": {
        "en": "{what} should be {expected}, but it is {got}.",
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
    "trajectory_first_difference": {
        "en": "{what}: first difference at iteration {iteration} (element {index}): expected {expected}, got {got}.",
        "zh": "{what}：第一次出现差异是在第 {iteration} 次迭代（元素 {index}）：期望 {expected}，实际 {got}。",
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
        "en": "{what} has length {got}, but length {expected} was expected.",
        "zh": "{what} 的长度是 {got}，期望的长度是 {expected}。",
    },
    "wrong_item_type": {
        "en": "Item {index} of {what} should be {expected}, but it is {got}.",
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
    # unit 2, backpropagation
    "raised_under_no_grad": {
        "en": "{function} raised {error_type} when called under torch.no_grad() with inputs that do not require grad: {message}",
        "zh": "在 torch.no_grad() 下、用不需要梯度的输入调用 {function} 时，它抛出了 {error_type}：{message}",
    },
    "stale_gradients_added": {
        "en": "{what} includes the gradient that was already stored in .grad before the call: old gradients were not cleared before backward().",
        "zh": "{what} 包含了调用之前就存放在 .grad 里的梯度：在 backward() 之前没有清除旧的梯度。",
    },
    "gradient_not_copied": {
        "en": "{what} is the model's own .grad tensor, not a copy: the next backward() or zero_grad() would change it.",
        "zh": "{what} 就是模型自己的 .grad 张量，而不是副本：下一次 backward() 或 zero_grad() 会改变它。",
    },
    "sum_instead_of_mean": {
        "en": "{what} is N = {n} times too large: the loss is the mean over the {n} samples, not their sum.",
        "zh": "{what} 大了 N = {n} 倍：损失是 {n} 个样本的平均值，而不是它们的和。",
    },
    "batch_averaged": {
        "en": "{what} is N = {n} times too small: it averages over the batch, but grad_output already holds each sample's share, so the batch is summed.",
        "zh": "{what} 小了 N = {n} 倍：它对整个批量取了平均，但 grad_output 已经包含了每个样本的份额，所以应当沿批量求和。",
    },
    "bias_grad_not_summed": {
        "en": "{what} has shape {got}: the bias is added to every row, so its gradient must be summed over the batch (dim 0), giving shape {expected}.",
        "zh": "{what} 的形状是 {got}：偏置被加到了每一行上，所以它的梯度必须沿批量维（`dim=0`）求和，得到形状 {expected}。",
    },
    "bias_grad_wrong_dim": {
        "en": "{what} has shape {got}: it was summed over the outputs (dim 1), but the bias gradient is summed over the batch (dim 0), giving shape {expected}.",
        "zh": "{what} 的形状是 {got}：它是沿输出维（`dim=1`）求和的，而偏置的梯度应当沿批量维（`dim=0`）求和，得到形状 {expected}。",
    },
    "bias_grad_summed_all": {
        "en": "{what} has shape {got}: summing over everything mixes the outputs; sum over the batch only (dim 0) to get shape {expected}.",
        "zh": "{what} 的形状是 {got}：对所有元素求和会把不同输出混在一起；只沿批量维（`dim=0`）求和，得到形状 {expected}。",
    },
    "sigmoid_derivative_wrong": {
        "en": "{what} uses σ({point}) as the sigmoid's derivative, but the derivative is σ({point})·(1 − σ({point})).",
        "zh": "{what} 把 σ({point}) 当成了 sigmoid 的导数，但导数应当是 σ({point})·(1 − σ({point}))。",
    },
    "second_call_differs": {
        "en": "Calling {call} a second time on the same model gave a different gradient {name}.",
        "zh": "在同一个模型上第二次调用 {call}，得到的梯度 {name} 不同。",
    },
    "sigmoid_of_output": {
        "en": "{what} computes x·(1 − x), as if x were the sigmoid's output; x is its input, so use s·(1 − s) with s = σ(x).",
        "zh": "{what} 计算的是 x·(1 − x)，好像 x 是 sigmoid 的输出；x 其实是它的输入，应当用 s·(1 − s)，其中 s = σ(x)。",
    },
    "grad_output_ignored": {
        "en": "{what} does not use grad_output: by the chain rule the local derivative must be multiplied by grad_output.",
        "zh": "{what} 没有用到 grad_output：按照链式法则，局部导数必须乘以 grad_output。",
    },
    "gradient_sign_flipped": {
        "en": "{what} has the opposite sign of the true gradient.",
        "zh": "{what} 的符号与真正的梯度相反。",
    },
    "softmax_forgotten": {
        "en": "{what} looks like logits − one-hot: the softmax of the logits is missing.",
        "zh": "{what} 看起来是 logits 减去独热编码：缺少对 logits 的 softmax。",
    },
    "softmax_wrong_dim": {
        "en": "{what} looks like a softmax over the batch (dim 0): take the softmax over the classes of each row (dim=1).",
        "zh": "{what} 看起来是沿批量维（`dim=0`）做的 softmax：应当对每一行的各个类别（`dim=1`）做 softmax。",
    },
    "one_hot_forgotten": {
        "en": "{what} looks like softmax(logits) / N: the one-hot encoding of target was not subtracted.",
        "zh": "{what} 看起来是 softmax(logits) / N：没有减去 target 的独热编码。",
    },
    "sigmoid_derivative_missing": {
        "en": "{what} skips the sigmoid: between the layers the gradient must be multiplied by σ(a)·(1 − σ(a)), where a = x @ w1.T + b1.",
        "zh": "{what} 跳过了 sigmoid：在两层之间，梯度必须乘以 σ(a)·(1 − σ(a))，其中 a = x @ w1.T + b1。",
    },
    "sigmoid_backward_at_output": {
        "en": "{what} takes the sigmoid's derivative at h = σ(a) instead of at its input a = x @ w1.T + b1.",
        "zh": "{what} 在 h = σ(a) 处求 sigmoid 的导数，而不是在它的输入 a = x @ w1.T + b1 处。",
    },
    "second_layer_input_wrong": {
        "en": "{what} uses a = x @ w1.T + b1 as the second layer's input, but that input is h = σ(a).",
        "zh": "{what} 把 a = x @ w1.T + b1 当作第二层的输入，但第二层的输入是 h = σ(a)。",
    },
    "advice_chain_rule": {
        "en": "Write the gradient with tensor operations from the chain rule; do not call backward() or torch.autograd in this task.",
        "zh": "用张量运算按链式法则写出梯度；本任务中不要调用 backward() 或 torch.autograd。",
    },
    "advice_mean_loss": {
        "en": "The loss is a mean over the batch (the default reduction='mean' of nn.CrossEntropyLoss), so its gradient carries a factor 1/N.",
        "zh": "损失是对批量取的平均（`nn.CrossEntropyLoss` 默认 `reduction='mean'`），所以它的梯度带有因子 1/N。",
    },
    "advice_sum_batch": {
        "en": "Sum grad_output over the batch dimension: grad_output.sum(dim=0).",
        "zh": "沿批量维对 grad_output 求和：grad_output.sum(dim=0)。",
    },
    "advice_sigmoid_derivative": {
        "en": "With s = torch.sigmoid(x) of the sigmoid's input x, the local derivative is s * (1 - s); multiply it by the incoming gradient.",
        "zh": "对 sigmoid 的输入 x 计算 s = torch.sigmoid(x)，局部导数是 s * (1 - s)；再乘以传入的梯度。",
    },
    "advice_softmax": {
        "en": "Compute torch.softmax(logits, dim=1), subtract the one-hot targets, and divide by N.",
        "zh": "先计算 torch.softmax(logits, dim=1)，减去目标的独热编码，再除以 N。",
    },
    "advice_clone_grad": {
        "en": "Return a copy of each gradient: p.grad.detach().clone().",
        "zh": "返回每个梯度的副本：p.grad.detach().clone()。",
    },
    "advice_read_only": {
        "en": "Only read the gradients here: do not update or modify the model's parameters.",
        "zh": "这里只读取梯度：不要更新或修改模型的参数。",
    },
    # units 5 and 6: named mistakes in learning-rate schedules and training loops
    "rosenbrock_factor_100": {
        "en": "{what} is {got}: that is the textbook Rosenbrock function with the factor 100; this course uses (x[1] − x[0]²)² + (1 − x[0])², without it ({expected} was expected).",
        "zh": "{what} 的值是 {got}：这是教科书上带系数 100 的 Rosenbrock 函数；本课程用的是不带该系数的 (x[1] − x[0]²)² + (1 − x[0])²（期望值为 {expected}）。",
    },
    "value_off_by_one": {
        "en": "{what} is {got}, the value that belongs one step later ({expected} was expected): the count is off by one.",
        "zh": "{what} 的值是 {got}，这是下一步才应有的值（期望值为 {expected}）：计数差了一。",
    },
    "step_decay_true_division": {
        "en": "{what} is {got}: step decay used true division (iteration / every) instead of integer division (iteration // every), so the rate fell between the drops ({expected} was expected).",
        "zh": "{what} 的值是 {got}：阶梯衰减用了真除法（`iteration / every`），而不是整数除法（`iteration // every`），所以学习率在两次下降之间也在变化（期望值为 {expected}）。",
    },
    "trajectory_uphill": {
        "en": "{what} walks uphill from row {row} on: the update added lr·gradient instead of subtracting it.",
        "zh": "{what} 从第 {row} 行起在往上坡走：更新时加上了 lr·梯度，而不是减去它。",
    },
    "trajectory_grad_accumulates": {
        "en": "{what} leaves the expected path at row {row}: the gradients of earlier iterations were added up, because x.grad was never cleared.",
        "zh": "{what} 在第 {row} 行偏离了期望的路径：之前各次迭代的梯度被累加了，因为 x.grad 从未被清空。",
    },
    "trajectory_lr_off_by_one": {
        "en": "{what} leaves the expected path at row {row}: iteration i used lr(i + 1) instead of lr(i).",
        "zh": "{what} 在第 {row} 行偏离了期望的路径：第 i 次迭代用了 lr(i + 1)，而不是 lr(i)。",
    },
    "lr_called_off_by_one": {
        "en": "{call} called lr with {got}: off by one. Iteration i must use lr(i), from lr(0) to lr({last}).",
        "zh": "{call} 调用 lr 时传入的是 {got}：差了一。第 i 次迭代应当使用 lr(i)，从 lr(0) 到 lr({last})。",
    },
    "wrong_lr_calls": {
        "en": "{call} called lr with {got}, but one call per iteration, lr(0), lr(1), … lr({last}), was expected.",
        "zh": "{call} 调用 lr 时传入的是 {got}，期望每次迭代调用一次：lr(0)、lr(1)、…、lr({last})。",
    },
    "grads_accumulate_batches": {
        "en": "{what} matches training without optimizer.zero_grad(): the gradients of earlier batches were added to each new one.",
        "zh": "{what} 与不调用 optimizer.zero_grad() 的训练结果一致：之前各个小批量的梯度被累加到了每个新的小批量上。",
    },
    "stale_gradients_used": {
        "en": "{what} matches training where the first batch also used the old gradients already stored on the model: call optimizer.zero_grad() before backward in every batch, not after step.",
        "zh": "{what} 与这样的训练结果一致：第一个小批量还用上了模型里原有的旧梯度。请在每个小批量的 backward 之前调用 optimizer.zero_grad()，而不是在 step 之后。",
    },
    "last_batch_dropped": {
        "en": "{what} matches an epoch that skipped the last, shorter batch: keep it, the last batch may be smaller than batch_size.",
        "zh": "{what} 与跳过了最后那个不满 batch_size 的小批量的轮次一致：请保留它，最后一个小批量可以小于 batch_size。",
    },
    "batches_not_shuffled": {
        "en": "{what} matches batches taken in data order: walk torch.randperm(len(x), generator=generator).split(batch_size).",
        "zh": "{what} 与按数据原顺序取小批量的结果一致：请遍历 torch.randperm(len(x), generator=generator).split(batch_size)。",
    },
    "loss_is_last_batch": {
        "en": "{what} is the loss of the last batch only; the mean of all batch losses was expected.",
        "zh": "{what} 只是最后一个小批量的损失；期望的是所有小批量损失的平均值。",
    },
    "loss_is_sum": {
        "en": "{what} is the sum of the batch losses; their mean was expected.",
        "zh": "{what} 是各小批量损失之和；期望的是它们的平均值。",
    },
    "loss_weighted_by_size": {
        "en": "{what} is the mean weighted by batch size; the plain mean of the batch losses was expected (each batch counts once).",
        "zh": "{what} 是按批量大小加权的平均值；期望的是各小批量损失的简单平均（每个小批量只算一次）。",
    },
    "accuracy_is_count": {
        "en": "{what} is the number of correct rows; the fraction of correct rows was expected (divide by the number of rows).",
        "zh": "{what} 是预测正确的行数；期望的是正确行所占的比例（再除以总行数）。",
    },
    "accuracy_argmin": {
        "en": "{what} counts the rows whose arg-min equals the target; the prediction is the arg-max, the largest logit.",
        "zh": "{what} 统计的是 `argmin` 等于目标的行；预测应当是 `argmax`，即 logits 中最大值所在的类别。",
    },
    "accuracy_ties_counted": {
        "en": "{what} counts a row as right when its target only ties for the largest logit; like torch.argmax, the prediction is the first maximal index.",
        "zh": "{what} 在目标类别只是与别的类别并列最大时也算作正确；应当像 torch.argmax 一样，以第一个最大值的下标作为预测。",
    },
    "scheduler_per_batch": {
        "en": "{what} matches a learning rate that decays after every batch: call scheduler.step() once per epoch, after the epoch's batches.",
        "zh": "{what} 与每个小批量之后都衰减学习率的结果一致：请每个轮次只调用一次 scheduler.step()，放在该轮所有小批量之后。",
    },
    "decay_from_epoch_one": {
        "en": "{what} matches a schedule whose epoch 0 already used lr0 / (1 + decay): epoch 0 must use lr0, so step the scheduler after each epoch, not before.",
        "zh": "{what} 与第 0 个轮次就已使用 `lr0 / (1 + decay)` 的调度一致：第 0 个轮次应当使用 lr0，所以请在每个轮次之后调用 scheduler.step()，而不是之前。",
    },
    "lr_never_decays": {
        "en": "{what} matches training with the constant learning rate lr0: the learning rate never decayed.",
        "zh": "{what} 与始终使用固定学习率 lr0 的训练结果一致：学习率从未衰减。",
    },
    "generator_ignored": {
        "en": "{what} matches shuffles that ignore the generator argument: pass generator on to torch.randperm (through train_epoch).",
        "zh": "{what} 与忽略了 generator 参数的打乱结果一致：请把 generator 传给 torch.randperm（通过 train_epoch 传下去）。",
    },
    "initial_weights_differ": {
        "en": "With epochs=0 the returned model's {name} differs from a freshly built nn.Sequential with PyTorch's default initialisation: build the model first, before anything else draws random numbers, and do not re-initialise it.",
        "zh": "当 `epochs=0` 时，返回模型的 {name} 与刚用 PyTorch 默认初始化构建的 nn.Sequential 不同：请最先构建模型，在此之前不要有任何随机数抽取，也不要重新初始化它。",
    },
    "advice_keep_tensor": {
        "en": "Compute with tensor operations on x: .item(), float() or torch.tensor(...) cut the autograd graph.",
        "zh": "请直接对 x 做张量运算：.item()、float() 或 torch.tensor(...) 都会切断 autograd 的计算图。",
    },
    "advice_clear_x_grad": {
        "en": "Take the gradient with torch.autograd.grad(f(x), x), or clear x.grad (x.grad = None) after every update.",
        "zh": "用 torch.autograd.grad(f(x), x) 求梯度，或在每次更新后清空 x.grad（x.grad = None）。",
    },
    "advice_count_from_zero": {
        "en": "Iterations and epochs count from 0: the first step uses i = 0.",
        "zh": "迭代次数和轮次都从 0 开始计数：第一步使用 i = 0。",
    },
    "advice_return_function": {
        "en": "Return a function, not its value: define def factor(epoch): … inside and return factor without calling it.",
        "zh": "请返回一个函数，而不是它的值：在内部定义 `def factor(epoch): …`，然后直接返回 `factor`，不要调用它。",
    },
    # units 3 and 4: updating parameters by hand, SGD
    "update_recorded_by_autograd": {
        "en": "{call} changed {name} in place while autograd was recording, which PyTorch refuses for a leaf tensor that requires grad: the update must not be recorded.",
        "zh": "{call} 在 autograd 记录计算图时原地修改了 {name}；对于 requires_grad=True 的叶子张量，PyTorch 不允许这样做：更新不能被 autograd 记录。",
    },
    "not_updated_in_place": {
        "en": "After {call}, {name} still holds its old values: the update never reached the tensor itself (p = p - … only gives the name a new tensor).",
        "zh": "调用 {call} 之后，{name} 仍是原来的值：更新没有作用到这个张量本身（p = p - … 只是让这个名字指向一个新张量）。",
    },
    "generator_walked_twice": {
        "en": "With a generator as params, {call} gets {name} wrong although a list works: a generator can be walked only once.",
        "zh": "当 params 是生成器时，{call} 得到的 {name} 是错的，而传入列表时却是对的：生成器只能遍历一次。",
    },
    "changed_without_grad": {
        "en": "{call} changed {name}, whose .grad is None: tensors without a gradient must be left alone.",
        "zh": "{call} 修改了 {name}，但它的 .grad 是 None：没有梯度的张量应当保持不动。",
    },
    "grad_never_zeroed": {
        "en": "{what} matches a run in which the gradient is never zeroed: every backward() adds to the old gradient.",
        "zh": "{what} 与从不清零梯度的运行结果一致：每次 backward() 都会累加到旧的梯度上。",
    },
    "loss_after_update": {
        "en": "{what} matches losses measured after the update; each loss must be taken before its update.",
        "zh": "{what} 与在更新之后才计算的损失一致；每个损失都应当在对应的更新之前计算。",
    },
    "epoch_mean_loss": {
        "en": "{what} records the mean loss of each epoch, but the loss of the epoch's last sample was expected.",
        "zh": "{what} 记录的是每个轮次的平均损失，但期望的是该轮次最后一个样本的损失。",
    },
    "regression_sum_loss": {
        "en": "{what} matches a loss that sums the squared errors instead of averaging them.",
        "zh": "{what} 与把平方误差求和（而不是取平均）的损失一致。",
    },
    "indices_not_shuffled": {
        "en": "{what} is not shuffled: the indices come in order 0, 1, 2, …",
        "zh": "{what} 没有打乱：下标是按 0, 1, 2, … 的顺序排列的。",
    },
    "randperm_ignores_generator": {
        "en": "{what} does not follow the generator: it matches torch.randperm drawn from the global random state.",
        "zh": "{what} 没有使用传入的 generator：它与用全局随机状态抽取的 torch.randperm 一致。",
    },
    "same_order_every_epoch": {
        "en": "{what} matches a run that shuffles once and reuses that order in every epoch.",
        "zh": "{what} 与只打乱一次、之后每个轮次都沿用同一顺序的运行结果一致。",
    },
    "trajectory_differs": {
        "en": "{what} first differs after step {step} (counting from 0): {name} at index {index} is {got}, but {expected} was expected.",
        "zh": "{what} 从第 {step} 步（从 0 开始计数）之后开始出现差异：{name} 在下标 {index} 处是 {got}，期望的是 {expected}。",
    },
    "momentum_not_kept": {
        "en": "{what} matches plain SGD without momentum: the momentum buffer was not kept from one step to the next.",
        "zh": "{what} 与不带动量的普通 SGD 一致：动量缓冲没有从一步保留到下一步。",
    },
    "dampening_applied": {
        "en": "{what} matches momentum with dampening (buffer = momentum·buffer + (1 − momentum)·gradient); with dampening=0 the whole gradient is added.",
        "zh": "{what} 与带阻尼的动量一致（`buffer = momentum·buffer + (1 − momentum)·gradient`）；`dampening=0` 时应当加上完整的梯度。",
    },
    "weight_decay_ignored": {
        "en": "{what} matches a run without weight decay: weight_decay·p was never added to the gradient.",
        "zh": "{what} 与没有权重衰减的运行结果一致：weight_decay·p 从未被加到梯度上。",
    },
    "weight_decay_after_momentum": {
        "en": "{what} matches weight decay applied after momentum: weight_decay·p must join the gradient before the gradient enters the momentum buffer.",
        "zh": "{what} 与在动量之后才施加权重衰减的结果一致：weight_decay·p 应当在梯度进入动量缓冲之前就加到梯度上。",
    },
    "nesterov_ignored": {
        "en": "{what} matches plain momentum: nesterov=True was ignored.",
        "zh": "{what} 与普通动量的结果一致：nesterov=True 被忽略了。",
    },
    "nesterov_raw_gradient": {
        "en": "{what} matches a Nesterov step along p.grad + momentum·buffer: the gradient in that sum must include weight_decay·p too.",
        "zh": "{what} 与沿 p.grad + momentum·buffer 方向做 Nesterov 更新的结果一致：这个和式中的梯度也必须包含 weight_decay·p。",
    },
    "lr_cached": {
        "en": "{what} matches a run that keeps the learning rate given at construction: a changed param_groups[0][\"lr\"] must apply from the next step.",
        "zh": "{what} 与一直使用构造时学习率的运行结果一致：修改后的 param_groups[0][\"lr\"] 应当从下一步起生效。",
    },
    "lr_in_buffer": {
        "en": "{what} matches a momentum buffer that stores lr·gradient: torch.optim.SGD keeps plain gradients in the buffer and multiplies by the current lr at every step.",
        "zh": "{what} 与在动量缓冲里存放 `lr·gradient` 的结果一致：torch.optim.SGD 在缓冲中保存的是梯度本身，每一步再乘以当前的 lr。",
    },
    "no_param_groups": {
        "en": "{what} has no param_groups list of dicts with \"params\" and \"lr\" (found {got}).",
        "zh": "{what} 没有由包含 \"params\" 和 \"lr\" 的字典组成的 param_groups 列表（实际是 {got}）。",
    },
    "subclasses_torch_sgd": {
        "en": "{what} is a subclass of torch.optim.SGD, which this task does not allow.",
        "zh": "{what} 是 torch.optim.SGD 的子类，本任务不允许这样做。",
    },
    "advice_clear_grad": {
        "en": "Clear each gradient after its update: p.grad = None (or p.grad.zero_()).",
        "zh": "每次更新之后清除梯度：p.grad = None（或 p.grad.zero_()）。",
    },
    "advice_skip_none_grad": {
        "en": "Skip every p whose p.grad is None: if p.grad is None: continue.",
        "zh": "跳过所有 p.grad 为 None 的 p：`if p.grad is None: continue`。",
    },
    "advice_walk_once": {
        "en": "Walk params only once (update and clear each p in the same loop), or turn it into a list first: params = list(params).",
        "zh": "只遍历 params 一次（在同一个循环里更新并清除每个 p），或者先把它变成列表：params = list(params)。",
    },
    "advice_loss_before_update": {
        "en": "Record loss.item() of the loss you call backward() on, before the parameters change.",
        "zh": "记录你调用 backward() 的那个损失的 loss.item()，并且要在参数改变之前记录。",
    },
    "advice_losses_per_epoch": {
        "en": "Append one loss per epoch, after its inner loop: the loss of the epoch's last sample.",
        "zh": "每个轮次在内层循环结束后追加一个损失：该轮次最后一个样本的损失。",
    },
    "advice_mean": {
        "en": "Average the squared differences: ((y_hat - y) ** 2).mean(), not .sum().",
        "zh": "对平方差取平均：((y_hat - y) ** 2).mean()，而不是 .sum()。",
    },
    "advice_stay_in_torch": {
        "en": "Stay in torch operations on y_hat: no .item(), .detach(), .numpy() or torch.no_grad() inside mse.",
        "zh": "全程对 y_hat 使用 torch 运算：`mse` 内部不要用 .item()、.detach()、.numpy() 或 torch.no_grad()。",
    },
    "advice_split": {
        "en": "Cut the permutation with perm.split(batch_size) and keep every chunk, the shorter last one included.",
        "zh": "用 perm.split(batch_size) 切分排列，并保留每一段，包括较短的最后一段。",
    },
    "advice_pass_generator": {
        "en": "Shuffle with torch.randperm(n, generator=generator) and pass the generator on.",
        "zh": "用 torch.randperm(n, generator=generator) 打乱，并把 generator 传下去。",
    },
    "advice_list": {
        "en": "perm.split(batch_size) gives a tuple; return list(perm.split(batch_size)).",
        "zh": "perm.split(batch_size) 返回的是元组；请返回 list(perm.split(batch_size))。",
    },
    "advice_new_batches_each_epoch": {
        "en": "Call minibatches(len(x), batch_size, generator) at the start of every epoch.",
        "zh": "在每个轮次开始时调用 minibatches(len(x), batch_size, generator)。",
    },
    "advice_one_loss_per_step": {
        "en": "Append one loss per update: one per epoch for full batches, one per mini-batch otherwise.",
        "zh": "每次更新追加一个损失：全批量时每个轮次一个，否则每个小批量一个。",
    },
    "advice_momentum_buffer": {
        "en": "Keep one buffer per parameter in self.state[p]: the first is a copy of the gradient, later buffer = momentum * buffer + gradient.",
        "zh": "在 self.state[p] 中为每个参数保存一个缓冲：第一次是梯度的副本，之后 `buffer = momentum * buffer + gradient`。",
    },
    "advice_weight_decay_first": {
        "en": "Start step() with gradient = p.grad + weight_decay * p, and use that gradient for the momentum buffer.",
        "zh": "在 step() 开始时先计算 `gradient = p.grad + weight_decay * p`，再用这个梯度更新动量缓冲。",
    },
    "advice_nesterov": {
        "en": "With nesterov=True, update the buffer first, then use direction = gradient + momentum * buffer.",
        "zh": "当 nesterov=True 时，先更新缓冲，再令 `direction = gradient + momentum * buffer`。",
    },
    "advice_read_lr": {
        "en": "Read lr = group[\"lr\"] inside step(), at every step, and multiply the direction by it there.",
        "zh": "在 step() 中每一步都读取 `lr = group[\"lr\"]`，并在那里用它乘以更新方向。",
    },
    "advice_param_groups": {
        "en": "Subclass torch.optim.Optimizer and call super().__init__(params, defaults): it builds param_groups for you.",
        "zh": "继承 torch.optim.Optimizer 并调用 super().__init__(params, defaults)：它会为你建立 param_groups。",
    },
    "advice_forbidden": {
        "en": "This task asks you to write that part yourself: remove the call and compute it with tensor operations.",
        "zh": "本任务要求你亲手写出这一部分：去掉这个调用，用张量运算自己算出来。",
    },
    "advice_no_torch_sgd": {
        "en": "Subclass torch.optim.Optimizer and write the update yourself in step(), in place under torch.no_grad().",
        "zh": "继承 torch.optim.Optimizer，在 step() 中自己写出更新，并在 torch.no_grad() 下原地修改参数。",
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
    "import_error_top_level": {
        "en": "{file} line {line} runs when the file is imported, and it raised {error_type}: {message} ({code})",
        "zh": "{file} 第 {line} 行在导入文件时就会运行，它引发了 {error_type}：{message}（{code}）",
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
    "error_no_sandbox": {
        "en": "This machine cannot keep student code away from the grader (runner mode: {mode}): it is not root and allows no user namespaces, so a submission could change the gradebook or other students' results. Grade as root or on a Linux machine that allows unprivileged user namespaces, or add --unsandboxed if you trust every submission.",
        "zh": "这台机器无法把学生代码与评分器隔开（运行模式：{mode}）：当前用户不是 `root`，系统也不允许非特权用户命名空间，提交的代码可能改动成绩册或其他学生的结果。请以 `root` 身份运行，或换用允许非特权用户命名空间的 Linux 机器；如果信任所有提交，也可以加上 `--unsandboxed`。",
    },
    "ui_advisory": {
        "en": "Advisory result: this machine offers no sandbox (runner mode: {mode}), so the checks ran beside your code without protection. Official grades come from your course's grading.",
        "zh": "仅供参考：这台机器不提供沙箱（运行模式：{mode}），检查与你的代码在没有防护的情况下一起运行。正式成绩以课程的评分为准。",
    },
    "ui_no_memory_cap": {
        "en": "This system cannot cap a task's memory: a task that allocates too much slows the computer down instead of failing.",
        "zh": "这个系统无法限制任务的内存：分配过多内存的任务不会报错，而会拖慢整台电脑。",
    },
    "error_not_in_course": {
        "en": "{path} is not inside a Descent course folder (none of the folders above holds course.toml). Run grader from your clone of the course, or name the folder to grade with --submission DIR.",
        "zh": "{path} 不在课程文件夹中（上层目录里都没有 `course.toml`）。请在你克隆的课程目录里运行 `grader`，或用 `--submission DIR` 指定要评分的文件夹。",
    },
    "error_course_without_exercises": {
        "en": "{path} holds a course (course.toml) but no exercises/ folder. Restore exercises/ (git checkout exercises), or name the folder to grade with --submission DIR.",
        "zh": "{path} 里有课程文件（`course.toml`），但没有 `exercises/` 文件夹。请恢复 `exercises/`（`git checkout exercises`），或用 `--submission DIR` 指定要评分的文件夹。",
    },
    "ui_graded_notebook": {
        "en": "Graded {notebook}: it was saved after {script}.",
        "zh": "评分的是 {notebook}：它比 {script} 保存得更晚。",
    },
    "ui_graded_unpaired_notebook": {
        "en": "Graded {notebook}: it was saved after {script}, and it is not paired with it (run `grader notebooks` to pair them).",
        "zh": "评分的是 {notebook}：它比 {script} 保存得更晚，而且两者没有配对（运行 `grader notebooks` 进行配对）。",
    },
    "ui_stopped": {
        "en": "Stopped.",
        "zh": "已停止。",
    },
    "timeout_cpu": {
        "en": "Task {task} used more than {seconds} s of CPU time and was stopped.",
        "zh": "任务 {task} 占用的 CPU 时间超过 {seconds} 秒，已被终止。",
    },
    "output_flood": {
        "en": "Task {task} printed more than {limit} and was stopped.",
        "zh": "任务 {task} 输出超过 {limit}，已被终止。",
    },
    "memory_exceeded": {
        "en": "{function} used more than {limit} of memory.",
        "zh": "{function} 使用的内存超过了 {limit}。",
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
    "advice_main_guard": {
        "en": "Put the code that tries your functions under `if __name__ == \"__main__\":` at the bottom of the file: the grader imports the file, and that block does not run then.",
        "zh": "把试运行函数的代码放到文件末尾的 `if __name__ == \"__main__\":` 之下：评分器会导入这个文件，那时这段代码不会运行。",
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
    "advice_output_flood": {
        "en": "Remove the print calls inside loops; print a few values only.",
        "zh": "去掉循环里的 `print`，只打印少量数值。",
    },
    "advice_memory": {
        "en": "Look for a tensor that grows with every step, or a much too large shape.",
        "zh": "检查是否有每一步都在变大的张量，或形状大得离谱的张量。",
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
        "en": "Next: task {task} ({title}). {hints}",
        "zh": "下一步：任务 {task}（{title}）。{hints}",
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
    "ui_function": {"en": "Write {functions} in {file}.", "zh": "在 {file} 中编写 {functions}。"},
    "ui_report_written": {"en": "Report written to {path}.", "zh": "报告已写入 {path}。"},
    "ui_output": {"en": "Your code printed:", "zh": "你的代码输出了："},
    "ui_more_checks": {"en": "… and {count} more failed checks.", "zh": "…… 另有 {count} 项检查未通过。"},
    "ui_stubs_synced": {"en": "Wrote {count} stub file(s) to {path}.", "zh": "已向 {path} 写入 {count} 个练习文件。"},
    "ui_stubs_current": {"en": "exercises/ is up to date with solutions/.", "zh": "`exercises/` 与 `solutions/` 一致。"},
    "ui_watching": {
        "en": "Watching {path}: save a file to check the task you are editing. Ctrl+C stops.",
        "zh": "正在监视 {path}：保存文件即可检查你正在编写的任务。按 `Ctrl+C` 停止。",
    },
    "ui_watch_checked": {
        "en": "{file} saved: checked {tasks} in {seconds} s",
        "zh": "{file} 已保存：{seconds} 秒内检查了 {tasks}",
    },
    "ui_next_task": {
        "en": "Next: task {task}, {title} ({points} points). Write {functions} in {location}.",
        "zh": "下一步：任务 {task}，{title}（{points} 分）。在 {location} 中编写 {functions}。",
    },
    "ui_next_check": {
        "en": "When it is written: `grader check {task}`. {hints}",
        "zh": "写好之后运行 `grader check {task}`。{hints}",
    },
    "ui_all_solved": {
        "en": "Every task is solved. Congratulations!",
        "zh": "所有任务都已完成，恭喜！",
    },
    "ui_reset_confirm": {
        "en": "Reset task {task}? Your code for {functions} in {file} is replaced by the stub (a backup is kept).",
        "zh": "要重置任务 {task} 吗？{file} 中 {functions} 的代码将被替换为初始代码（会保留备份）。",
    },
    "ui_reset_done": {
        "en": "Task {task} is back to its stub. Your previous file is saved as {backup}.",
        "zh": "任务 {task} 已恢复为初始代码。之前的文件已备份为 {backup}。",
    },
    "ui_reset_cancelled": {"en": "Nothing was changed.", "zh": "没有做任何修改。"},
    "ui_column_first_solved": {"en": "First solved", "zh": "首次完成"},
    # instructor tools: nbgrader export, student release, batch grading, Gradescope; notebooks
    "ui_notebook_cell_skipped": {
        "en": "A cell that is not valid Python was left out: {line}",
        "zh": "一个不是合法 Python 代码的单元格被略过了：{line}",
    },
    "ui_notebook_next": {
        "en": "In this notebook, {file} is the code of the cells above: change the task's cell, run it, then run this cell again.",
        "zh": "在这个笔记本里，{file} 就是上面各单元格的代码：修改该任务的单元格并运行，然后再运行这个单元格。",
    },
    "ui_nbgrader_written": {
        "en": "Wrote {count} notebooks and nbgrader_config.py to {path}. Next, there: `nbgrader generate_assignment <unit>`.",
        "zh": "已向 {path} 写入 {count} 个笔记本和 nbgrader_config.py。下一步，在该目录中运行：`nbgrader generate_assignment <单元>`。",
    },
    "ui_release_written": {
        "en": "Wrote the student copy of the course ({count} files) to {path}.",
        "zh": "已把课程的学生版（{count} 个文件）写入 {path}。",
    },
    "ui_gradescope_written": {
        "en": "Wrote the Gradescope autograder bundle to {path}.",
        "zh": "已把 Gradescope 自动评分包写入 {path}。",
    },
    "ui_batch_start": {
        "en": "Grading {count} submission(s) in {workers} process(es); {unchanged} unchanged since the last run.",
        "zh": "正在用 {workers} 个进程评分 {count} 份提交；自上次运行以来有 {unchanged} 份没有变化。",
    },
    "ui_batch_grading": {"en": "Grading", "zh": "评分中"},
    "ui_batch_student_error": {"en": "{student} could not be graded.", "zh": "无法为 {student} 评分。"},
    "ui_batch_skipped": {"en": "Skipped {entry}.", "zh": "已跳过 {entry}。"},
    "ui_batch_done": {
        "en": "{graded} graded, {unchanged} unchanged, {errors} could not be graded. Results in {path}",
        "zh": "已评分 {graded} 份，{unchanged} 份没有变化，{errors} 份无法评分。结果在 {path}",
    },
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
        "zh": "`--submission` 和 `--solutions` 只能二选一。",
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
        "zh": "`exercises/` 与 `solutions/` 生成的结果不一致：{files}。请运行 `grader dev sync`。",
    },
    "error_reset_missing": {
        "en": "The original stub of {file} cannot be found. Restore the file from your course repository.",
        "zh": "找不到 {file} 的初始代码。请从课程仓库中恢复该文件。",
    },
    "error_internal": {
        "en": "The grader itself failed ({detail}). Please report this to your instructor.",
        "zh": "评分器自身出错（{detail}）。请报告给老师。",
    },
    "error_no_solutions": {
        "en": "There is no solutions/ folder ({path}): this looks like a student copy of the course. Run this command in the course repository.",
        "zh": "没有 `solutions/` 文件夹（{path}）：这看起来是课程的学生版。请在课程仓库中运行这个命令。",
    },
    "error_export": {
        "en": "Cannot write {path}: {problem}",
        "zh": "无法写入 {path}：{problem}",
    },
    "error_release": {
        "en": "Cannot write the student copy to {path}: {problem}. Choose an empty or new folder.",
        "zh": "无法把学生版写入 {path}：{problem}。请选择一个空的或新的文件夹。",
    },
    "error_no_submissions": {
        "en": "The submissions folder {path} does not exist or cannot be read. Pass a folder with one folder or .zip file per student (or an nbgrader course).",
        "zh": "提交文件夹 {path} 不存在或无法读取。请传入一个文件夹，其中每个学生有一个文件夹或 `.zip` 文件（或者传入一个 nbgrader 课程目录）。",
    },
    "error_out_dir": {
        "en": "Cannot write the results to {path}: {reason}. Choose a writable folder with --out.",
        "zh": "无法把结果写入 {path}：{reason}。请用 `--out` 选择一个可写的文件夹。",
    },
    "error_out_inside_submissions": {
        "en": "The results folder {path} is inside the submissions folder. Choose a folder outside it with --out.",
        "zh": "结果文件夹 {path} 位于提交文件夹之内。请用 `--out` 选择它之外的文件夹。",
    },
    "error_gradebook": {
        "en": "{path} cannot be used as the gradebook ({reason}). Choose another --out folder or move the file away.",
        "zh": "{path} 不能用作成绩册（{reason}）。请换一个 `--out` 文件夹，或把这个文件移走。",
    },
    "error_batch_running": {
        "en": "Another `grader grade` is writing to {path}. Wait for it to finish, or choose another --out folder.",
        "zh": "另一个 `grader grade` 正在写入 {path}。请等它结束，或者换一个 `--out` 文件夹。",
    },
    "error_grading_failed": {
        "en": "This submission could not be graded: {detail}.",
        "zh": "这份提交无法评分：{detail}。",
    },
    "error_submission_too_large": {
        "en": "The submission is too large: {file} goes over the limit of {limit}.",
        "zh": "提交的内容太大：{file} 超过了 {limit} 的上限。",
    },
    "error_bad_notebook": {
        "en": "{file} is not a readable Jupyter notebook.",
        "zh": "{file} 不是可读取的 Jupyter 笔记本。",
    },
    "error_no_modules": {
        "en": "No module of the course (such as derivatives.py) was found in {path}.",
        "zh": "在 {path} 中没有找到课程的任何模块（例如 derivatives.py）。",
    },
    "error_bad_zip": {
        "en": "{file} cannot be read as a zip file ({reason}).",
        "zh": "无法把 {file} 当作 `.zip` 文件读取（{reason}）。",
    },
    "error_unreadable_submission": {
        "en": "{path} cannot be read: {reason}.",
        "zh": "无法读取 {path}：{reason}。",
    },
    "error_not_in_notebook": {
        "en": "grade_task grades the cells of a Jupyter notebook of the course; outside a notebook, run `grader check`.",
        "zh": "grade_task 用于给课程 Jupyter 笔记本中的单元格评分；在笔记本之外，请运行 `grader check`。",
    },
}

