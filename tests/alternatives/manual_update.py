from tests.alternatives import Alternative

ALTERNATIVES = [
    # --- 3.1 sgd_step_ -------------------------------------------------------------
    Alternative(
        task="3.1",
        name="data_update_and_zeroed_grad",
        source='''
        def sgd_step_(params, lr):
            for p in params:
                if p.grad is None:
                    continue
                p.data -= lr * p.grad.data
                p.grad.zero_()
        ''',
    ),
    Alternative(
        task="3.1",
        name="no_grad_decorator_and_add",
        source='''
        @torch.no_grad()
        def sgd_step_(params, lr):
            for p in params:
                if p.grad is not None:
                    p.add_(p.grad, alpha=-lr)
                    p.grad = None
        ''',
    ),
    Alternative(
        task="3.1",
        name="list_first_then_two_loops",
        source='''
        def sgd_step_(params, lr):
            params = [p for p in params if p.grad is not None]
            with torch.no_grad():
                for p in params:
                    p -= lr * p.grad
            for p in params:
                p.grad = None
        ''',
    ),
    Alternative(
        task="3.1",
        name="copy_into_p",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is None:
                        continue
                    p.copy_(p - lr * p.grad)
                    p.grad.detach_()
                    p.grad.zero_()
        ''',
    ),
    Alternative(
        task="3.1",
        name="float64_step_cast_back",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is None:
                        continue
                    p.copy_((p.double() - lr * p.grad.double()).to(p.dtype))
                    p.grad = None
        ''',
    ),
    # --- 3.2 fit_slope -------------------------------------------------------------
    Alternative(
        task="3.2",
        name="autograd_grad_and_numpy_floats",
        source='''
        import numpy as np

        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
            losses = []
            for _ in range(epochs):
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    (grad,) = torch.autograd.grad(loss, w)
                    with torch.no_grad():
                        w -= lr * grad
                last = np.float64(loss.item())
                losses.append(last)
            return np.float64(w.item()), losses
        ''',
    ),
    Alternative(
        task="3.2",
        name="data_update_float_of_tensors",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor([float(w0)], requires_grad=True)
            losses = []
            for epoch in range(epochs):
                last = None
                for x, y in zip(xs, ys):
                    y_hat = w * x
                    loss = ((y_hat - y) ** 2).sum()
                    loss.backward()
                    w.data = w.data - lr * w.grad.data
                    w.grad = None
                    last = float(loss)
                losses.append(last)
            return float(w), losses
        ''',
    ),
    Alternative(
        task="3.2",
        name="tensors_of_the_data_and_sgd_step",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            x_data, y_data = torch.tensor(xs), torch.tensor(ys)
            w = torch.tensor(w0, requires_grad=True)
            losses = []
            for _ in range(epochs):
                for x, y in zip(x_data, y_data):
                    loss = (w * x - y).pow(2)
                    loss.backward()
                    sgd_step_([w], lr)
                losses.append(loss.item())
            return w.item(), losses
        ''',
    ),
]
