from tests.alternatives import Alternative

ALTERNATIVES = [
    Alternative(
        task="1.1",
        name="python_floats_and_a_new_tensor",
        source='''
        def central_difference(f, x, h=1e-4):
            x = x.detach()
            values = []
            for i in range(x.numel()):
                step = torch.zeros(x.numel(), dtype=x.dtype)
                step[i] = h
                step = step.reshape(x.shape)
                values.append((f(x + step).item() - f(x - step).item()) / (2 * h))
            return torch.tensor(values, dtype=x.dtype).reshape(x.shape)
        ''',
    ),
    Alternative(
        task="1.1",
        name="float64_inside_cast_back_under_no_grad_decorator",
        source='''
        import itertools

        @torch.no_grad()
        def central_difference(f, x, h=1e-4):
            point = x.detach().to(torch.float64)
            grad = torch.empty_like(point)
            for where in itertools.product(*(range(n) for n in point.shape)):
                up, down = point.clone(), point.clone()
                up[where] += h
                down[where] -= h
                grad[where] = (f(up.to(x.dtype)) - f(down.to(x.dtype))) / (2 * h)
            return grad.to(x.dtype)
        ''',
    ),
    Alternative(
        task="1.1",
        name="rows_of_an_identity_matrix",
        source='''
        def central_difference(f, x, h=1e-4):
            base = x.detach().clone()
            steps = h * torch.eye(base.numel(), dtype=base.dtype).reshape(base.numel(), *base.shape)
            with torch.no_grad():
                quotients = [(f(base + step) - f(base - step)) / (2 * h) for step in steps]
            return torch.stack(quotients).reshape(base.shape).detach()
        ''',
    ),
    Alternative(
        task="1.2",
        name="backward_on_a_copy",
        source='''
        def autograd_gradient(f, x):
            point = x.detach().clone()
            point.requires_grad = True
            with torch.enable_grad():
                f(point).backward()
            return point.grad
        ''',
    ),
    Alternative(
        task="1.2",
        name="torch_func_grad_on_a_detached_x",
        source='''
        from torch.func import grad as func_grad

        def autograd_gradient(f, x):
            # torch.func composes with autograd: a gradient that depends on f's own
            # trainable parameters is part of their graph until detached.
            return func_grad(f)(x.detach()).detach()
        ''',
    ),
    Alternative(
        task="1.2",
        name="autograd_functional_jacobian",
        source='''
        def autograd_gradient(f, x):
            return torch.autograd.functional.jacobian(f, x.detach().clone()).reshape(x.shape)
        ''',
    ),
    Alternative(
        task="1.3",
        name="preallocated_rows_in_place",
        source='''
        @torch.no_grad()
        def gradient_descent(grad_fn, x0, lr, steps):
            rows = torch.empty((steps + 1, *x0.shape), dtype=x0.dtype)
            rows[0] = x0
            for t in range(steps):
                rows[t + 1] = rows[t] - lr * grad_fn(rows[t].clone())
            return rows
        ''',
    ),
    Alternative(
        task="1.3",
        name="data_updates_and_clones",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            x = x0.detach().clone()
            iterates = [x.clone()]
            for _ in range(steps):
                x.data -= lr * grad_fn(x.clone()).data
                iterates.append(x.clone())
            return torch.stack(iterates)
        ''',
    ),
    Alternative(
        task="1.3",
        name="recursive_helper",
        source='''
        def _walk(grad_fn, x, lr, steps):
            if steps == 0:
                return [x]
            with torch.no_grad():
                following = x - lr * grad_fn(x)
            return [x, *_walk(grad_fn, following, lr, steps - 1)]

        def gradient_descent(grad_fn, x0, lr, steps):
            return torch.stack(_walk(grad_fn, x0.detach().clone(), lr, steps))
        ''',
    ),
]
