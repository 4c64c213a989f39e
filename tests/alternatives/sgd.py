from tests.alternatives import Alternative

ALTERNATIVES = [
    # --- 4.1 mse -------------------------------------------------------------------
    Alternative(
        task="4.1",
        name="functional_mse_loss",
        source='''
        import torch.nn.functional as F

        def mse(y_hat, y):
            return F.mse_loss(y_hat, y)
        ''',
    ),
    Alternative(
        task="4.1",
        name="mse_loss_module",
        source='''
        def mse(y_hat, y):
            return torch.nn.MSELoss()(y_hat, y)
        ''',
    ),
    Alternative(
        task="4.1",
        name="flatten_and_dot",
        source='''
        def mse(y_hat, y):
            difference = (y_hat - y).flatten()
            return difference @ difference / difference.numel()
        ''',
    ),
    Alternative(
        task="4.1",
        name="square_and_sum_over_numel",
        source='''
        def mse(y_hat, y):
            return torch.square(y_hat - y).sum() / y_hat.numel()
        ''',
    ),
    # --- 4.2 minibatches -----------------------------------------------------------
    Alternative(
        task="4.2",
        name="slices_in_a_comprehension",
        source='''
        def minibatches(n, batch_size, generator=None):
            perm = torch.randperm(n, generator=generator)
            return [perm[start:start + batch_size] for start in range(0, n, batch_size)]
        ''',
    ),
    Alternative(
        task="4.2",
        name="tensor_split_at_the_cuts",
        source='''
        def minibatches(n, batch_size, generator=None):
            perm = torch.randperm(n, generator=generator)
            return list(torch.tensor_split(perm, list(range(batch_size, n, batch_size))))
        ''',
    ),
    Alternative(
        task="4.2",
        name="keyword_generator_and_clones",
        source='''
        def minibatches(n, batch_size, generator=None):
            return [chunk.clone() for chunk in torch.split(torch.randperm(n, generator=generator), batch_size)]
        ''',
    ),
    # --- 4.3 SGD -------------------------------------------------------------------
    Alternative(
        task="4.3",
        name="plain_class_with_param_groups",
        source='''
        class SGD:
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                self.param_groups = [
                    {"params": list(params), "lr": lr, "momentum": momentum, "weight_decay": weight_decay, "nesterov": nesterov}
                ]
                self.buffers = {}

            def step(self):
                with torch.no_grad():
                    for group in self.param_groups:
                        for p in group["params"]:
                            if p.grad is None:
                                continue
                            d = p.grad + group["weight_decay"] * p
                            if group["momentum"]:
                                if p in self.buffers:
                                    self.buffers[p] = group["momentum"] * self.buffers[p] + d
                                else:
                                    self.buffers[p] = d.clone()
                                d = d + group["momentum"] * self.buffers[p] if group["nesterov"] else self.buffers[p]
                            p -= group["lr"] * d

            def zero_grad(self):
                for group in self.param_groups:
                    for p in group["params"]:
                        p.grad = None
        ''',
    ),
    Alternative(
        task="4.3",
        name="data_updates_and_zeroed_grads",
        source='''
        class SGD(torch.optim.Optimizer):
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov))

            def step(self, closure=None):
                for group in self.param_groups:
                    lr, momentum = group["lr"], group["momentum"]
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        d = p.grad.data.clone()
                        if group["weight_decay"]:
                            d.add_(p.data, alpha=group["weight_decay"])
                        if momentum:
                            state = self.state[p]
                            if "momentum_buffer" not in state:
                                state["momentum_buffer"] = d.clone()
                            else:
                                state["momentum_buffer"].mul_(momentum).add_(d)
                            buffer = state["momentum_buffer"]
                            d = d.add(buffer, alpha=momentum) if group["nesterov"] else buffer
                        p.data.add_(d, alpha=-lr)

            def zero_grad(self, set_to_none=False):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is not None:
                            p.grad.zero_()
        ''',
    ),
    Alternative(
        task="4.3",
        name="float64_buffers_cast_back",
        source='''
        class SGD(torch.optim.Optimizer):
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay, "nesterov": nesterov})

            @torch.no_grad()
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        d = p.grad.double() + group["weight_decay"] * p.double()
                        if group["momentum"]:
                            buffer = self.state[p].get("buffer")
                            buffer = d.clone() if buffer is None else group["momentum"] * buffer + d
                            self.state[p]["buffer"] = buffer
                            d = d + group["momentum"] * buffer if group["nesterov"] else buffer
                        p.copy_((p.double() - group["lr"] * d).to(p.dtype))
        ''',
    ),
    Alternative(
        task="4.3",
        name="keyword_only_options_and_sub",
        source='''
        class SGD(torch.optim.Optimizer):
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False, *, maximize=False):
                defaults = {"lr": lr, "momentum": momentum, "weight_decay": weight_decay, "nesterov": nesterov}
                super().__init__(params, defaults)

            def step(self, closure=None):
                loss = closure() if closure is not None else None
                with torch.no_grad():
                    for group in self.param_groups:
                        for p in (q for q in group["params"] if q.grad is not None):
                            d = torch.add(p.grad, p, alpha=group["weight_decay"])
                            if group["momentum"] > 0:
                                state = self.state[p]
                                state["buffer"] = d.clone() if "buffer" not in state else group["momentum"] * state["buffer"] + d
                                d = d + group["momentum"] * state["buffer"] if group["nesterov"] else state["buffer"]
                            p.sub_(group["lr"] * d)
                return loss
        ''',
    ),
    # --- 4.4 train_linear_regression -----------------------------------------------
    Alternative(
        task="4.4",
        name="autograd_grad_out_of_place",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.detach().clone()
            losses = []
            for _ in range(epochs):
                batches = [torch.arange(len(x))] if batch_size is None else minibatches(len(x), batch_size, generator)
                for indices in batches:
                    a.requires_grad_(True)
                    loss = mse(x[indices] @ a, y[indices])
                    (grad,) = torch.autograd.grad(loss, a)
                    losses.append(float(loss))
                    a = (a - lr * grad).detach()
            return a, losses
        ''',
    ),
    Alternative(
        task="4.4",
        name="data_update_and_numpy_losses",
        source='''
        import numpy as np

        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = torch.tensor(a0.detach().numpy().copy(), dtype=a0.dtype, requires_grad=True)
            losses = []
            for epoch in range(epochs):
                order = [slice(None)] if batch_size is None else minibatches(len(x), batch_size, generator)
                for batch in order:
                    loss = mse(x[batch] @ a, y[batch])
                    loss.backward()
                    losses.append(np.float64(loss.item()))
                    a.data -= lr * a.grad.data
                    a.grad.zero_()
            return a.detach(), losses
        ''',
    ),
    Alternative(
        task="4.4",
        name="float64_inside_cast_back",
        source='''
        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            x64, y64 = x.double(), y.double()
            a = a0.detach().double().clone().requires_grad_(True)
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
            return a.detach().to(a0.dtype), losses
        ''',
    ),
    Alternative(
        task="4.4",
        name="no_grad_decorated_update",
        source='''
        @torch.no_grad()
        def _descend(a, lr):
            a -= lr * a.grad
            a.grad = None

        def train_linear_regression(x, y, a0, lr=0.1, epochs=100, batch_size=None, generator=None):
            a = a0.clone().detach().requires_grad_()
            losses = []
            for _ in range(epochs):
                for indices in [None] if batch_size is None else minibatches(len(x), batch_size, generator=generator):
                    xb = x if indices is None else x.index_select(0, indices)
                    yb = y if indices is None else y.index_select(0, indices)
                    loss = mse(xb @ a, yb)
                    loss.backward()
                    losses.append(loss.item())
                    _descend(a, lr)
            return a.detach(), losses
        ''',
    ),
]
