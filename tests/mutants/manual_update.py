from tests.mutants import Mutant

MUTANTS = [
    # --- 3.1 sgd_step_ -------------------------------------------------------------
    Mutant(
        task="3.1",
        name="update_outside_no_grad",
        feedback="in place while autograd was recording",
        source='''
        def sgd_step_(params, lr):
            for p in params:
                if p.grad is None:
                    continue
                p -= lr * p.grad
                p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="rebinds_instead_of_in_place",
        feedback="still holds its old values",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is None:
                        continue
                    p = p - lr * p.grad
                    p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="never_zeroes_gradients",
        feedback="the gradient of params[0] was not cleared",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p -= lr * p.grad
        ''',
    ),
    Mutant(
        task="3.1",
        name="walks_the_generator_twice",
        feedback="a generator can be walked only once",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p -= lr * p.grad
            for p in params:
                p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="gives_every_param_a_zero_grad",
        feedback="whose .grad is None",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p -= lr * p.grad
                    p.grad = torch.zeros_like(p)
        ''',
    ),
    Mutant(
        task="3.1",
        name="switches_requires_grad_off",
        feedback="no longer the same leaf tensor",
        source='''
        def sgd_step_(params, lr):
            for p in params:
                if p.grad is None:
                    continue
                p.requires_grad_(False)
                p -= lr * p.grad
                p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="returns_the_params",
        feedback="The return value of sgd_step_",
        source='''
        def sgd_step_(params, lr):
            params = list(params)
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p -= lr * p.grad
                        p.grad = None
            return params
        ''',
    ),
    # --- 3.2 fit_slope -------------------------------------------------------------
    Mutant(
        task="3.2",
        name="never_zeroes_the_gradient",
        feedback="the gradient is never zeroed",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs):
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    loss.backward()
                    with torch.no_grad():
                        w -= lr * w.grad
                losses.append(loss.item())
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="loss_after_the_update",
        feedback="measured after the update",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs):
                for x, y in zip(xs, ys):
                    ((w * x - y) ** 2).backward()
                    with torch.no_grad():
                        w -= lr * w.grad
                    w.grad = None
                    last = ((w * x - y) ** 2).item()
                losses.append(last)
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="mean_loss_of_the_epoch",
        feedback="mean loss of each epoch",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs):
                epoch = []
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    loss.backward()
                    with torch.no_grad():
                        w -= lr * w.grad
                    w.grad = None
                    epoch.append(loss.item())
                losses.append(sum(epoch) / len(epoch))
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="returns_w_as_a_tensor",
        feedback="should be a Python float",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs):
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    loss.backward()
                    with torch.no_grad():
                        w -= lr * w.grad
                    w.grad = None
                losses.append(loss.item())
            return w.detach(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="one_epoch_too_many",
        feedback="has length 101, but length 100",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs + 1):
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    loss.backward()
                    with torch.no_grad():
                        w -= lr * w.grad
                    w.grad = None
                losses.append(loss.item())
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="update_recorded_by_autograd",
        feedback="in place while autograd was recording",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs):
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    loss.backward()
                    w -= lr * w.grad
                    w.grad = None
                losses.append(loss.item())
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="losses_as_tensors",
        feedback="should be a float",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs):
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    loss.backward()
                    with torch.no_grad():
                        w -= lr * w.grad
                    w.grad = None
                losses.append(loss.detach())
            return w.item(), losses
        ''',
    ),
]
