from tests.mutants import Mutant


def _optimizer(step_body: str, init_extra: str = "") -> str:
    """A subclass of the reference SGD whose step() is `step_body` (inside the loop over params).

    In the body, `p` is the parameter, `group` its group, `state` its state dict
    and `d` starts as the gradient; the body ends by changing `p`.
    """
    body = "\n".join("                        " + line for line in step_body.strip("\n").splitlines())
    return f'''
        class SGD(SGD):
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                super().__init__(params, lr, momentum, weight_decay, nesterov)
                {init_extra or "pass"}

            @torch.no_grad()
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        state = self.state[p]
                        d = p.grad
{body}
        '''


MUTANTS = [
    # --- 4.1 mse -------------------------------------------------------------------
    Mutant(
        task="4.1",
        name="sum_instead_of_mean",
        feedback="times too large",
        source='''
        def mse(y_hat, y):
            return ((y_hat - y) ** 2).sum()
        ''',
    ),
    Mutant(
        task="4.1",
        name="returns_a_float",
        feedback="should be a torch.Tensor",
        source='''
        def mse(y_hat, y):
            return ((y_hat - y) ** 2).mean().item()
        ''',
    ),
    Mutant(
        task="4.1",
        name="computed_under_no_grad",
        feedback="No gradient flows",
        source='''
        def mse(y_hat, y):
            with torch.no_grad():
                return ((y_hat - y) ** 2).mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="subtracts_in_place",
        feedback="changed its input y_hat",
        source='''
        def mse(y_hat, y):
            if y_hat.requires_grad:
                return ((y_hat - y) ** 2).mean()
            return y_hat.sub_(y).pow_(2).mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="mean_over_rows_only",
        feedback="has shape (4,)",
        source='''
        def mse(y_hat, y):
            return ((y_hat - y) ** 2).mean(dim=0)
        ''',
    ),
    Mutant(
        task="4.1",
        name="always_float64",
        feedback="has dtype float64",
        source='''
        def mse(y_hat, y):
            return ((y_hat.double() - y.double()) ** 2).mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="subtracts_data",
        feedback="back to y_hat",
        source='''
        def mse(y_hat, y):
            return ((y_hat.data - y.data) ** 2).mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="flattens_with_view",
        feedback="called .view() on a tensor whose memory is not contiguous",
        source='''
        def mse(y_hat, y):
            difference = y_hat.view(-1) - y.view(-1)
            return (difference * difference).mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="renamed_parameters",
        feedback="does not take the parameters of the contract",
        source='''
        def mse(prediction, target):
            return ((prediction - target) ** 2).mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="divides_by_the_rows",
        feedback="divides the sum of squares by len(y_hat)",
        source='''
        def mse(y_hat, y):
            return ((y_hat - y) ** 2).sum() / len(y_hat)
        ''',
    ),
    Mutant(
        task="4.1",
        name="detaches_the_target",
        feedback="back to y: the result is cut off",
        source='''
        def mse(y_hat, y):
            return ((y_hat - y.detach()) ** 2).mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="always_float32",
        feedback="has dtype float32, but dtype float64 was expected",
        source='''
        def mse(y_hat, y):
            return ((y_hat.float() - y.float()) ** 2).mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="new_leaf_from_the_value",
        feedback="No gradient flows from mse(y_hat, y) back to y_hat",
        source='''
        def mse(y_hat, y):
            value = ((y_hat - y) ** 2).mean().item()
            return torch.tensor(value, dtype=y_hat.dtype, requires_grad=True)
        ''',
    ),
    Mutant(
        task="4.1",
        name="calls_backward",
        feedback="filled y_hat.grad itself",
        source='''
        def mse(y_hat, y):
            loss = ((y_hat - y) ** 2).mean()
            if loss.requires_grad:
                loss.backward(retain_graph=True)
            return loss
        ''',
    ),
    Mutant(
        task="4.1",
        name="root_mean_square",
        feedback="square root of the mean squared error",
        source='''
        def mse(y_hat, y):
            return ((y_hat - y) ** 2).mean().sqrt()
        ''',
    ),
    Mutant(
        task="4.1",
        name="mean_absolute_error",
        feedback="mean of the absolute differences",
        source='''
        def mse(y_hat, y):
            return (y_hat - y).abs().mean()
        ''',
    ),
    Mutant(
        task="4.1",
        name="square_of_the_mean",
        feedback="square of the mean difference",
        source='''
        def mse(y_hat, y):
            return (y_hat - y).mean() ** 2
        ''',
    ),
    Mutant(
        task="4.1",
        name="detaches_the_result",
        feedback="No gradient flows from mse(y_hat, y) back to y_hat",
        source='''
        def mse(y_hat, y):
            return ((y_hat - y) ** 2).mean().detach()
        ''',
    ),
    Mutant(
        task="4.1",
        name="computes_in_numpy",
        feedback="called .numpy() on a tensor that requires grad",
        source='''
        def mse(y_hat, y):
            difference = y_hat.numpy() - y.numpy()
            return torch.tensor((difference ** 2).mean(), dtype=y_hat.dtype)
        ''',
    ),
    Mutant(
        task="4.1",
        name="renamed_target",
        feedback="mse(y_hat, y_true) does not take the parameters of the contract",
        source='''
        def mse(y_hat, y_true):
            return ((y_hat - y_true) ** 2).mean()
        ''',
    ),
    # --- 4.2 minibatches -----------------------------------------------------------
    Mutant(
        task="4.2",
        name="ignores_the_generator",
        feedback="does not follow the generator",
        source='''
        def minibatches(n, batch_size, generator=None):
            return list(torch.randperm(n).split(batch_size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="drops_the_last_batch",
        feedback="skipped the last, shorter batch",
        source='''
        def minibatches(n, batch_size, generator=None):
            perm = torch.randperm(n, generator=generator)
            return [perm[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size)]
        ''',
    ),
    Mutant(
        task="4.2",
        name="not_shuffled",
        feedback="is not shuffled",
        source='''
        def minibatches(n, batch_size, generator=None):
            return list(torch.arange(n).split(batch_size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="returns_a_tuple",
        feedback="gives a tuple",
        source='''
        def minibatches(n, batch_size, generator=None):
            return torch.randperm(n, generator=generator).split(batch_size)
        ''',
    ),
    Mutant(
        task="4.2",
        name="fresh_generator",
        feedback="seeding with 0 inside minibatches()",
        source='''
        def minibatches(n, batch_size, generator=None):
            generator = torch.Generator().manual_seed(0)
            return list(torch.randperm(n, generator=generator).split(batch_size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="renamed_generator",
        feedback="does not take the parameters of the contract",
        source='''
        def minibatches(n, batch_size, rng=None):
            return list(torch.randperm(n, generator=rng).split(batch_size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="renamed_batch_size",
        feedback="minibatches(n, size, generator)",
        source='''
        def minibatches(n, size, generator=None):
            return list(torch.randperm(n, generator=generator).split(size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="restores_the_generator",
        feedback="draws a new permutation (on the second call)",
        source='''
        def minibatches(n, batch_size, generator=None):
            saved = generator.get_state() if generator is not None else None
            perm = torch.randperm(n, generator=generator)
            if saved is not None:
                generator.set_state(saved)  # leave the caller's generator as it was
            return list(perm.split(batch_size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="caches_the_permutation",
        feedback="gave the same batches as the first call",
        source='''
        _PERMUTATIONS = {}

        def minibatches(n, batch_size, generator=None):
            if n not in _PERMUTATIONS:
                _PERMUTATIONS[n] = torch.randperm(n, generator=generator)
            return list(_PERMUTATIONS[n].split(batch_size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="own_generator_by_default",
        feedback="seeds (without a generator",
        source='''
        def minibatches(n, batch_size, generator=None):
            if generator is None:
                generator = torch.Generator()
            return list(torch.randperm(n, generator=generator).split(batch_size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="chunks_by_count",
        feedback="torch.chunk or tensor_split into 2 pieces",
        source='''
        def minibatches(n, batch_size, generator=None):
            perm = torch.randperm(n, generator=generator)
            return list(perm.chunk(max(n // batch_size, 1)))
        ''',
    ),
    Mutant(
        task="4.2",
        name="empty_last_batch",
        feedback="ends with an empty batch",
        source='''
        def minibatches(n, batch_size, generator=None):
            perm = torch.randperm(n, generator=generator)
            return [perm[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size + 1)]
        ''',
    ),
    Mutant(
        task="4.2",
        name="stops_one_start_early",
        feedback="range(0, n, batch_size) (with batch_size = 1)",
        source='''
        def minibatches(n, batch_size, generator=None):
            perm = torch.randperm(n, generator=generator)
            return [perm[start:start + batch_size] for start in range(0, n - 1, batch_size)]
        ''',
    ),
    Mutant(
        task="4.2",
        name="int32_indices",
        feedback="has dtype int32, but dtype int64 was expected",
        source='''
        def minibatches(n, batch_size, generator=None):
            return [batch.int() for batch in torch.randperm(n, generator=generator).split(batch_size)]
        ''',
    ),
    Mutant(
        task="4.2",
        name="reseeds_from_the_global_seed",
        feedback="gave the same batches as the first call",
        source='''
        def minibatches(n, batch_size, generator=None):
            if generator is None:
                generator = torch.Generator().manual_seed(torch.initial_seed())
            return list(torch.randperm(n, generator=generator).split(batch_size))
        ''',
    ),
    Mutant(
        task="4.2",
        name="one_batch_is_not_shuffled",
        feedback="is not shuffled",
        source='''
        def minibatches(n, batch_size, generator=None):
            if batch_size >= n:
                return [torch.arange(n)]  # a single batch: its order does not matter
            return list(torch.randperm(n, generator=generator).split(batch_size))
        ''',
    ),
    # --- 4.3 SGD -------------------------------------------------------------------
    Mutant(
        task="4.3",
        name="caches_lr_at_construction",
        feedback="keeps the learning rate given at construction",
        source=_optimizer(
            '''
d = d + group["weight_decay"] * p
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(d)
    d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= self.lr * d
''',
            init_extra="self.lr = lr",
        ),
    ),
    Mutant(
        task="4.3",
        name="weight_decay_after_momentum",
        feedback="weight decay applied after momentum",
        source=_optimizer(
            '''
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(d)
    d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= group["lr"] * (d + group["weight_decay"] * p)
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="ignores_nesterov",
        feedback="nesterov=True was ignored",
        source=_optimizer(
            '''
d = d + group["weight_decay"] * p
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(d)
    d = state["buffer"]
p -= group["lr"] * d
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="nesterov_with_the_raw_gradient",
        feedback="must include weight_decay·p too",
        source=_optimizer(
            '''
g = d + group["weight_decay"] * p
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = g.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(g)
    g = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= group["lr"] * g
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="momentum_buffer_not_kept",
        feedback="momentum buffer was not kept",
        source=_optimizer(
            '''
d = d + group["weight_decay"] * p
if group["momentum"]:
    buffer = d.clone()
    d = d + group["momentum"] * buffer if group["nesterov"] else buffer
p -= group["lr"] * d
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="dampened_momentum",
        feedback="momentum with dampening",
        source=_optimizer(
            '''
d = d + group["weight_decay"] * p
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(d, alpha=1 - group["momentum"])
    d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= group["lr"] * d
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="lr_inside_the_buffer",
        feedback="stores lr·gradient",
        source=_optimizer(
            '''
d = group["lr"] * (d + group["weight_decay"] * p)
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(d)
    d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= d
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="step_recorded_by_autograd",
        feedback="in place while autograd was recording",
        source='''
        _Reference = SGD

        class SGD(_Reference):
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is not None:
                            p.add_(p.grad + group["weight_decay"] * p, alpha=-group["lr"])
        ''',
    ),
    Mutant(
        task="4.3",
        name="zero_grad_does_nothing",
        feedback="was not cleared",
        source='''
        class SGD(SGD):
            def zero_grad(self, set_to_none=True):
                pass
        ''',
    ),
    Mutant(
        task="4.3",
        name="wraps_torch_optim_sgd",
        feedback="used torch.optim.SGD",
        source='''
        class SGD:
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                self.inner = torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov)
                self.param_groups = self.inner.param_groups

            def step(self, closure=None):
                return self.inner.step(closure)

            def zero_grad(self, set_to_none=True):
                self.inner.zero_grad(set_to_none)
        ''',
    ),
    Mutant(
        task="4.3",
        name="subclasses_torch_optim_sgd",
        feedback="subclass of torch.optim.SGD",
        source='''
        class SGD(torch.optim.SGD):
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                super().__init__(params, lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov)
        ''',
    ),
    Mutant(
        task="4.3",
        name="keeps_the_generator",
        feedback="a generator can be walked only once",
        source='''
        class SGD:
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                self.param_groups = [
                    {"params": params, "lr": lr, "momentum": momentum, "weight_decay": weight_decay, "nesterov": nesterov}
                ]
                self.state = {}

            @torch.no_grad()
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        d = p.grad + group["weight_decay"] * p
                        if group["momentum"]:
                            if p in self.state:
                                self.state[p].mul_(group["momentum"]).add_(d)
                            else:
                                self.state[p] = d.clone()
                            d = d + group["momentum"] * self.state[p] if group["nesterov"] else self.state[p]
                        p -= group["lr"] * d

            def zero_grad(self, set_to_none=True):
                for group in self.param_groups:
                    for p in group["params"]:
                        p.grad = None
        ''',
    ),
    Mutant(
        task="4.3",
        name="class_level_param_groups",
        feedback="goes wrong only while another SGD is alive",
        source='''
        class SGD:
            param_groups = []  # one list, shared by every instance
            state = {}

            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                self.param_groups.append(
                    {"params": list(params), "lr": lr, "momentum": momentum, "weight_decay": weight_decay, "nesterov": nesterov}
                )

            @torch.no_grad()
            def step(self):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        d = p.grad + group["weight_decay"] * p
                        if group["momentum"]:
                            if p in self.state:
                                self.state[p].mul_(group["momentum"]).add_(d)
                            else:
                                self.state[p] = d.clone()
                            d = d + group["momentum"] * self.state[p] if group["nesterov"] else self.state[p]
                        p -= group["lr"] * d

            def zero_grad(self):
                for group in self.param_groups:
                    for p in group["params"]:
                        p.grad = None
        ''',
    ),
    Mutant(
        task="4.3",
        name="buffers_by_position_in_a_class_attribute",
        feedback="state left over from an earlier SGD",
        source='''
        class SGD(torch.optim.Optimizer):
            buffers = {}  # (group, index) -> buffer, for every instance at once

            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay, "nesterov": nesterov})

            @torch.no_grad()
            def step(self, closure=None):
                for g, group in enumerate(self.param_groups):
                    for i, p in enumerate(group["params"]):
                        if p.grad is None:
                            continue
                        d = p.grad + group["weight_decay"] * p
                        if group["momentum"]:
                            key = (g, i)
                            if key in self.buffers:
                                self.buffers[key] = group["momentum"] * self.buffers[key] + d
                            else:
                                self.buffers[key] = d.clone()
                            d = d + group["momentum"] * self.buffers[key] if group["nesterov"] else self.buffers[key]
                        p -= group["lr"] * d
        ''',
    ),
    Mutant(
        task="4.3",
        name="skips_zero_gradients",
        feedback="skips parameters whose gradient is all zeros",
        source=_optimizer(
            '''
if not d.any():
    continue
d = d + group["weight_decay"] * p
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(d)
    d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= group["lr"] * d
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="missing_gradient_as_zeros",
        feedback="changed params[2], whose .grad is None",
        source='''
        class SGD(SGD):
            @torch.no_grad()
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        d = p.grad if p.grad is not None else torch.zeros_like(p)
                        d = d + group["weight_decay"] * p
                        state = self.state[p]
                        if group["momentum"]:
                            if "buffer" not in state:
                                state["buffer"] = d.clone()
                            else:
                                state["buffer"].mul_(group["momentum"]).add_(d)
                            d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
                        p -= group["lr"] * d
        ''',
    ),
    Mutant(
        task="4.3",
        name="weight_decay_into_p_grad",
        feedback="is no longer the gradient that was there before",
        source=_optimizer(
            '''
if group["weight_decay"]:
    d.add_(p, alpha=group["weight_decay"])  # in place: this is p.grad itself
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(d)
    d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= group["lr"] * d
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="step_clears_the_gradients",
        feedback="step() leaves the gradients as they are",
        source=_optimizer(
            '''
d = d + group["weight_decay"] * p
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d.clone()
    else:
        state["buffer"].mul_(group["momentum"]).add_(d)
    d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= group["lr"] * d
p.grad = None
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="buffer_is_the_gradient",
        feedback="the momentum buffer is p.grad itself",
        source=_optimizer(
            '''
if group["weight_decay"]:
    d = d + group["weight_decay"] * p
if group["momentum"]:
    if "buffer" not in state:
        state["buffer"] = d  # no copy: without weight decay this is p.grad
    else:
        state["buffer"].mul_(group["momentum"]).add_(d)
    d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
p -= group["lr"] * d
''',
        ),
    ),
    Mutant(
        task="4.3",
        name="zero_grad_resets_momentum",
        feedback="also reset the momentum buffers",
        source='''
        class SGD(SGD):
            def zero_grad(self, set_to_none=True):
                super().zero_grad()
                self.state.clear()
        ''',
    ),
    Mutant(
        task="4.3",
        name="momentum_by_default",
        feedback="the defaults must be those of",
        source='''
        _Reference = SGD

        class SGD(_Reference):
            def __init__(self, params, lr, momentum=0.9, weight_decay=0.0, nesterov=False):
                super().__init__(params, lr, momentum, weight_decay, nesterov)
        ''',
    ),
    Mutant(
        task="4.3",
        name="weight_decay_before_momentum_in_the_signature",
        feedback="SGD(params, lr, weight_decay, momentum, nesterov) does not take the parameters",
        source='''
        _Reference = SGD

        class SGD(_Reference):
            def __init__(self, params, lr, weight_decay=0.0, momentum=0.0, nesterov=False):
                super().__init__(params, lr, momentum, weight_decay, nesterov)
        ''',
    ),
    Mutant(
        task="4.3",
        name="renamed_params",
        feedback="SGD(parameters, lr, momentum, weight_decay, nesterov) does not take the parameters",
        source='''
        _Reference = SGD

        class SGD(_Reference):
            def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                super().__init__(parameters, lr, momentum, weight_decay, nesterov)
        ''',
    ),
    # --- 4.4 train_linear_regression -----------------------------------------------
    Mutant(
        task="4.4",
        name="ignores_the_generator",
        feedback="does not follow the generator",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="drops_the_last_batch",
        feedback="skipped the last, shorter batch",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    if indices is not None and len(indices) < batch_size:
                        continue
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="loss_after_the_update",
        feedback="measured after the update",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    mse(xb @ a, yb).backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                        losses.append(mse(xb @ a, yb).item())
                    a.grad = None
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="never_zeroes_the_gradient",
        feedback="the gradient is never zeroed",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="sum_of_squared_errors",
        feedback="sums the squared errors",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = ((xb @ a - yb) ** 2).sum()
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="shuffles_only_once",
        feedback="shuffles once and reuses that order",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
            for _ in range(epochs):
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="uses_torch_optim_sgd",
        feedback="used torch.optim.SGD",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            optimizer = torch.optim.SGD([a], lr=lr)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    optimizer.zero_grad()
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="updates_a0_itself",
        feedback="changed its input a0",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            a.requires_grad_(False)
            return a.detach().clone(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="one_epoch_too_many",
        feedback="has length 13, but length 12 was expected",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs + 1):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="losses_as_tensors",
        feedback="should be a float",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.detach())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="returns_a_with_history",
        feedback="autograd history",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a, losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="one_loss_per_epoch",
        feedback="one loss per update",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="copy_keeps_the_history",
        feedback="a0.clone() is not a leaf",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="retains_grad_of_a_copy",
        feedback="filled the caller's a0.grad",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.clone().requires_grad_(True)
            a.retain_grad()
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach().clone(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="renamed_a0",
        feedback="train_linear_regression(x, y, a_start, lr, epochs, batch_size, generator) does not take",
        source='''
        def train_linear_regression(x, y, a_start, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a_start.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="epochs_before_lr",
        feedback="train_linear_regression(x, y, a0, epochs, lr, batch_size, generator) does not take",
        source='''
        def train_linear_regression(x, y, a0, epochs=100, lr=0.1, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(int(epochs)):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="copies_the_generator",
        feedback="gave the same run twice with one generator",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            if generator is not None:  # a copy, so that the caller's generator is left as it was
                generator = torch.Generator().manual_seed(generator.initial_seed())
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="seeds_its_own_generator",
        feedback="seeds (without a generator",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            if generator is None:
                generator = torch.Generator().manual_seed(1)
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="divides_by_all_samples",
        feedback="divided by len(x) instead of by the batch size",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = ((xb @ a - yb) ** 2).sum() / len(x)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="records_the_loss_of_all_data",
        feedback="measured on the whole data set",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    losses.append(mse(x @ a, y).item())
                    mse(xb @ a, yb).backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="returns_float64",
        feedback="has dtype float64, but dtype float32 was expected",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            x, y = x.double(), y.double()
            a = a0.detach().double().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="gradient_by_hand",
        feedback="never used autograd",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone()
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    residual = xb @ a - yb
                    losses.append(mse(xb @ a, yb).item())
                    a = a - lr * 2 * xb.T @ residual / len(xb)
            return a, losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="double_is_no_copy",
        feedback="changed its input a0",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            x64, y64 = x.double(), y.double()
            a = a0.detach().double().requires_grad_(True)  # no copy when a0 is float64 already
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x64, y64) if indices is None else (x64[indices], y64[indices])
                    loss = ((xb @ a - yb) ** 2).mean()
                    loss.backward()
                    with torch.no_grad():
                        a.sub_(lr * a.grad)
                    a.grad = None
                    losses.append(loss.item())
            return a.detach().to(a0.dtype).clone(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="sets_requires_grad_on_a_clone",
        feedback='a0.clone() is not a leaf',
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            b = a0.clone()
            b.requires_grad = True
            a = b
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="renamed_batch_size",
        feedback='train_linear_regression(x, y, a0, lr, epochs, batch, generator) does not take',
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch is None else minibatches(len(x), batch, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="renamed_generator",
        feedback='train_linear_regression(x, y, a0, lr, epochs, batch_size, rng) does not take',
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, rng=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, rng)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="small_lr_by_default",
        feedback='(when called with the default arguments: train_linear_regression(x, y, a0)',
        source='''
        def train_linear_regression(x, y, a0, lr=0.01, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="ten_epochs_by_default",
        feedback='(when called with the default arguments: train_linear_regression(x, y, a0)',
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=10, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="generator_before_batch_size",
        feedback='train_linear_regression(x, y, a0, lr, epochs, generator, batch_size) does not take',
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, generator=None, batch_size=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="own_generator_when_none",
        feedback='seeds (without a generator',
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator if generator is not None else torch.Generator())
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="restarts_the_generator",
        feedback='gave the same run twice with one generator',
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            if generator is not None:
                generator.manual_seed(generator.initial_seed())  # reproducible runs
            a = a0.detach().clone().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="always_float32",
        feedback='has dtype float32, but dtype float64 was expected',
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            x, y = x.float(), y.float()
            a = a0.detach().clone().float().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x, y) if indices is None else (x[indices], y[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach(), losses
        ''',
    ),
    Mutant(
        task="4.4",
        name="float32_inside",
        feedback="only to float32 precision",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            x32, y32 = x.float(), y.float()
            a = a0.detach().clone().float().requires_grad_(True)
            losses = []
            for _ in range(epochs):
                batches = [None] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    xb, yb = (x32, y32) if indices is None else (x32[indices], y32[indices])
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    with torch.no_grad():
                        a -= lr * a.grad
                    a.grad = None
                    losses.append(loss.item())
            return a.detach().to(a0.dtype), losses
        ''',
    ),
]
