from tests.mutants import Mutant

MUTANTS = [
    Mutant(
        task="1.1",
        name="forward_difference",
        feedback="differs at index",
        source='''
        def central_difference(f, x, h=1e-4):
            flat = x.detach().reshape(-1)
            grad = torch.zeros_like(flat)
            for i in range(flat.numel()):
                step = torch.zeros_like(flat)
                step[i] = h
                grad[i] = (f((flat + step).reshape(x.shape)) - f(x)) / h
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="writes_into_x",
        feedback="changed its input x",
        source='''
        def central_difference(f, x, h=1e-4):
            flat = x.view(-1)
            grad = torch.zeros_like(flat)
            for i in range(flat.numel()):
                flat[i] += h
                up = f(x)
                flat[i] -= 2 * h
                down = f(x)
                flat[i] += h * 1.5
                grad[i] = (up - down) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="flat_result",
        feedback="has shape (12,)",
        source='''
        def central_difference(f, x, h=1e-4):
            flat = x.detach().reshape(-1)
            grad = torch.zeros_like(flat)
            for i in range(flat.numel()):
                step = torch.zeros_like(flat)
                step[i] = h
                grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * h)
            return grad
        ''',
    ),
    Mutant(
        task="1.2",
        name="gradient_left_on_x",
        feedback="x.grad after the call",
        source='''
        def autograd_gradient(f, x):
            x.requires_grad_(True)
            f(x).backward()
            return x.grad.detach().clone()
        ''',
    ),
    Mutant(
        task="1.2",
        name="not_detached",
        feedback="autograd history",
        source='''
        def autograd_gradient(f, x):
            point = x.detach().clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(f(point), point, create_graph=True)
            return grad
        ''',
    ),
    Mutant(
        task="1.3",
        name="walks_uphill",
        feedback="first difference at iteration 1",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            xs = [x0.clone()]
            for _ in range(steps):
                xs.append(xs[-1] + lr * grad_fn(xs[-1]))
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="forgets_x0",
        feedback="has shape (5, 3)",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            xs, x = [], x0.clone()
            for _ in range(steps):
                x = x - lr * grad_fn(x)
                xs.append(x)
            return torch.stack(xs) if xs else x0.clone().unsqueeze(0)
        ''',
    ),
    Mutant(
        task="1.1",
        name="ignores_h",
        feedback="h=0.25",
        source='''
        def central_difference(f, x, h=1e-4):
            flat = x.detach().reshape(-1)
            grad = torch.zeros_like(flat)
            for i in range(flat.numel()):
                step = torch.zeros_like(flat)
                step[i] = 1e-4
                grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * 1e-4)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.2",
        name="turns_on_requires_grad_of_x",
        feedback="x.requires_grad after the call",
        source='''
        def autograd_gradient(f, x):
            x.requires_grad_(True)
            (grad,) = torch.autograd.grad(f(x), x)
            return grad.detach()
        ''',
    ),
    Mutant(
        task="1.2",
        name="returns_the_tuple_of_autograd_grad",
        feedback="should be a torch.Tensor, but it is a tuple",
        source='''
        def autograd_gradient(f, x):
            point = x.detach().clone().requires_grad_(True)
            return torch.autograd.grad(f(point), point)
        ''',
    ),
    Mutant(
        task="1.2",
        name="numerical_estimate_instead_of_autograd",
        feedback="differs at index",
        source='''
        def autograd_gradient(f, x, h=1e-3):
            flat = x.detach().reshape(-1)
            grad = torch.zeros_like(flat)
            for i in range(flat.numel()):
                step = torch.zeros_like(flat)
                step[i] = h
                grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.3",
        name="one_step_too_many",
        feedback="has shape (7, 3)",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            xs = [x0.clone()]
            for _ in range(steps + 1):
                xs.append(xs[-1] - lr * grad_fn(xs[-1]))
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="gradient_always_at_x0",
        feedback="first difference at iteration 2",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            xs = [x0.clone()]
            for _ in range(steps):
                xs.append(xs[-1] - lr * grad_fn(x0))
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="updates_x0_in_place",
        feedback="changed its input x0",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            xs = [x0.clone()]
            x = x0
            for _ in range(steps):
                x -= lr * grad_fn(x)
                xs.append(x.clone())
            return torch.stack(xs)
        ''',
    ),
]
