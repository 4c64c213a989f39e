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
        feedback="differs at index",
        source='''
        def minibatches(n, batch_size, generator=None):
            generator = torch.Generator().manual_seed(0)
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
        feedback="has length 13, but length 12",
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
]
