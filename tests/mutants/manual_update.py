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
        feedback="returned a list, but it must return None",
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
    Mutant(
        task="3.1",
        name="renamed_params",
        feedback="sgd_step_(parameters, lr) does not take the parameters of the contract",
        source='''
        def sgd_step_(parameters, lr):
            with torch.no_grad():
                for p in parameters:
                    if p.grad is not None:
                        p -= lr * p.grad
                        p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="renamed_lr",
        feedback="sgd_step_(params, learning_rate) does not take the parameters of the contract",
        source='''
        def sgd_step_(params, learning_rate):
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p -= learning_rate * p.grad
                        p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="does_not_check_for_none",
        feedback="computed with a .grad that is None (when some parameters have no gradient",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    p -= lr * p.grad
                    p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="updates_a_flat_view",
        feedback="called .view() on a tensor whose memory is not contiguous",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is None:
                        continue
                    p.view(-1).sub_(lr * p.grad.view(-1))
                    p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="remembers_the_first_params",
        feedback="it updates params kept from an earlier call",
        source='''
        _PARAMS = []

        def sgd_step_(params, lr):
            if not _PARAMS:
                _PARAMS.extend(params)
            with torch.no_grad():
                for p in _PARAMS:
                    if p.grad is not None:
                        p -= lr * p.grad
                        p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="forgets_lr",
        feedback="moved by the whole gradient",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p -= p.grad
                        p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="walks_uphill",
        feedback="uphill",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p += lr * p.grad
                        p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="zeroes_before_the_update",
        feedback="the gradient was cleared before the update used it",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if p.grad is not None:
                        p.grad.zero_()
                        p -= lr * p.grad
        ''',
    ),
    Mutant(
        task="3.1",
        name="replaces_the_list_items",
        feedback="still holds its old values",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for i, p in enumerate(params):
                    if p.grad is not None:
                        params[i] = (p - lr * p.grad).requires_grad_(True)
                        p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="counts_the_params",
        feedback="used params as a list (its length, an index)",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for i in range(len(params)):
                    p = params[i]
                    if p.grad is not None:
                        p -= lr * p.grad
                        p.grad = None
        ''',
    ),
    Mutant(
        task="3.1",
        name="tests_for_zeros_before_none",
        feedback="computed with a .grad that is None (when some parameters have no gradient",
        source='''
        def sgd_step_(params, lr):
            with torch.no_grad():
                for p in params:
                    if not p.grad.any():
                        continue  # a zero gradient changes nothing
                    p -= lr * p.grad
                    p.grad = None
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
    Mutant(
        task="3.2",
        name="renamed_xs_and_ys",
        feedback="fit_slope(x, y, w0, lr, epochs) does not take the parameters of the contract",
        source='''
        def fit_slope(x, y, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs):
                for xi, yi in zip(x, y):
                    loss = (w * xi - yi) ** 2
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
        name="lr_before_w0",
        feedback="fit_slope(xs, ys, lr, w0, epochs) does not take the parameters of the contract",
        source='''
        def fit_slope(xs, ys, lr=0.01, w0=1.0, epochs=100):
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
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="list_as_a_default_argument",
        feedback="also returned the losses of earlier calls",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100, losses=[]):
            w = torch.tensor(float(w0), requires_grad=True)
            for _ in range(epochs):
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
        name="module_level_losses",
        feedback="also returned the losses of earlier calls",
        source='''
        LOSSES = []

        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            for _ in range(epochs):
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    loss.backward()
                    with torch.no_grad():
                        w -= lr * w.grad
                    w.grad = None
                LOSSES.append(loss.item())
            return w.item(), LOSSES
        ''',
    ),
    Mutant(
        task="3.2",
        name="ten_epochs_by_default",
        feedback="(when called with the default arguments: fit_slope(xs, ys))",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=10):
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
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="lesson_lr_by_default",
        feedback="(when called with the default arguments: fit_slope(xs, ys))",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.001, epochs=100):
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
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="one_update_per_epoch",
        feedback="one update per epoch from the summed gradient",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(epochs):
                sample_losses = [(w * x - y) ** 2 for x, y in zip(xs, ys)]
                sum(sample_losses).backward()
                with torch.no_grad():
                    w -= lr * w.grad
                w.grad = None
                losses.append(sample_losses[-1].item())
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="ignores_w0",
        feedback="starts from w = 1.0 whatever w0 is",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = torch.tensor(1.0, requires_grad=True)
            losses = []
            for _ in range(epochs):
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
        name="gradient_by_hand",
        feedback="never used autograd",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, epochs=100):
            w = float(w0)
            losses = []
            for _ in range(epochs):
                for x, y in zip(xs, ys):
                    loss = (w * x - y) ** 2
                    w -= lr * 2 * (w * x - y) * x
                losses.append(loss)
            return w, losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="epochs_before_lr",
        feedback="fit_slope(xs, ys, w0, epochs, lr) does not take the parameters of the contract",
        source='''
        def fit_slope(xs, ys, w0=1.0, epochs=100, lr=0.01):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(int(epochs)):
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
        name="starts_at_zero_by_default",
        feedback="(when called with the default arguments: fit_slope(xs, ys))",
        source='''
        def fit_slope(xs, ys, w0=0.0, lr=0.01, epochs=100):
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
            return w.item(), losses
        ''',
    ),
    Mutant(
        task="3.2",
        name="integer_default_w0",
        feedback="made w from an int",
        source='''
        def fit_slope(xs, ys, w0=1, lr=0.01, epochs=100):
            w = torch.tensor(w0, requires_grad=True)
            losses = []
            for _ in range(epochs):
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
        name="renamed_epochs",
        feedback="fit_slope(xs, ys, w0, lr, n_epochs) does not take the parameters of the contract",
        source='''
        def fit_slope(xs, ys, w0=1.0, lr=0.01, n_epochs=100):
            w = torch.tensor(float(w0), requires_grad=True)
            losses = []
            for _ in range(n_epochs):
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
]
