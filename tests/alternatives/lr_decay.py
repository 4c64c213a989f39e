from tests.alternatives import Alternative

ALTERNATIVES = [
    # --- 5.1 rosenbrock
    Alternative(
        task="5.1",
        name="unbind",
        source='''
        def rosenbrock(x):
            a, b = x.unbind()
            return (b - a * a) ** 2 + (1 - a) ** 2
        ''',
    ),
    Alternative(
        task="5.1",
        name="float64_inside_cast_back",
        source='''
        def rosenbrock(x):
            y = x.double()
            return ((y[1] - y[0] ** 2) ** 2 + (1 - y[0]) ** 2).to(x.dtype)
        ''',
    ),
    Alternative(
        task="5.1",
        name="torch_functions",
        source='''
        def rosenbrock(x):
            return torch.square(x[1] - torch.square(x[0])) + torch.square(1 - x[0])
        ''',
    ),
    # --- 5.2 the three decay functions
    Alternative(
        task="5.2",
        name="math_floor",
        source='''
        import math

        def step_decay(lr0, drop, every, iteration):
            return lr0 * math.pow(drop, math.floor(iteration / every))
        ''',
    ),
    Alternative(
        task="5.2",
        name="numpy_float64",
        source='''
        import numpy as np

        def time_based_decay(lr0, decay, iteration):
            return np.float64(lr0) / (1 + decay * iteration)
        ''',
    ),
    Alternative(
        task="5.2",
        name="numpy_float32",
        source='''
        import numpy as np

        def exponential_decay(lr0, gamma, iteration):
            return np.float32(lr0 * gamma**iteration)
        ''',
    ),
    Alternative(
        task="5.2",
        name="float32_tensor_item",
        source='''
        def step_decay(lr0, drop, every, iteration):
            return (torch.tensor(lr0) * torch.tensor(drop) ** (iteration // every)).item()
        ''',
    ),
    Alternative(
        task="5.2",
        name="loop",
        source='''
        def exponential_decay(lr0, gamma, iteration):
            lr = lr0
            for _ in range(iteration):
                lr *= gamma
            return lr
        ''',
    ),
    # --- 5.3 minimize
    Alternative(
        task="5.3",
        name="torch_func_grad",
        source='''
        def minimize(f, start, lr, iterations):
            gradient = torch.func.grad(f)
            x = start.detach().clone()
            rows = [x]
            for i in range(iterations):
                x = x - (lr(i) if callable(lr) else lr) * gradient(x)
                rows.append(x)
            return torch.stack(rows)
        ''',
    ),
    Alternative(
        task="5.3",
        name="backward_and_data",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = torch.empty((iterations + 1, *start.shape), dtype=start.dtype)
            trajectory[0] = x.data
            for i in range(iterations):
                step = lr if isinstance(lr, (int, float)) else lr(i)
                if x.grad is not None:
                    x.grad.zero_()
                f(x).backward()
                x.data -= step * x.grad
                trajectory[i + 1] = x.data
            return trajectory
        ''',
    ),
    Alternative(
        task="5.3",
        name="float64_inside_cast_back",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().to(torch.float64).clone().requires_grad_(True)
            rows = [x.detach().clone()]
            for i in range(iterations):
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x.sub_(grad, alpha=lr(i) if callable(lr) else lr)
                rows.append(x.detach().clone())
            return torch.stack(rows).to(start.dtype)
        ''',
    ),
    Alternative(
        task="5.3",
        name="optimizer_sgd_with_lambda",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            rows = [x.detach().clone()]
            for i in range(iterations):
                optimizer = torch.optim.SGD([x], lr=lr(i) if callable(lr) else lr)
                optimizer.zero_grad()
                f(x).backward()
                optimizer.step()
                rows.append(x.detach().clone())
            return torch.stack(rows)
        ''',
    ),
    # --- 5.4 time_based_lambda
    Alternative(
        task="5.4",
        name="class_with_call",
        source='''
        class TimeBasedFactor:
            def __init__(self, decay):
                self.decay = decay

            def __call__(self, epoch):
                return 1 / (1 + self.decay * epoch)

        def time_based_lambda(decay):
            return TimeBasedFactor(decay)
        ''',
    ),
    Alternative(
        task="5.4",
        name="functools_partial",
        source='''
        import functools

        def _factor(decay, epoch):
            return 1.0 / (1.0 + decay * epoch)

        def time_based_lambda(decay):
            return functools.partial(_factor, decay)
        ''',
    ),
    Alternative(
        task="5.4",
        name="lambda_numpy_float",
        source='''
        import numpy as np

        def time_based_lambda(decay):
            return lambda epoch: np.float32(1.0) / np.float32(1.0 + decay * epoch)
        ''',
    ),
    Alternative(
        task="5.4",
        name="uses_time_based_decay",
        source='''
        def time_based_lambda(decay):
            return lambda epoch: time_based_decay(1.0, decay, epoch)
        ''',
    ),
]
