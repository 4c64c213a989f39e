from tests.mutants import Mutant

MUTANTS = [
    # --- 5.1 rosenbrock
    Mutant(
        task="5.1",
        name="sign_error",
        feedback="differs at index",
        source='''
        def rosenbrock(x):
            return (x[1] + x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        ''',
    ),
    Mutant(
        task="5.1",
        name="textbook_factor_100",
        feedback="factor 100",
        source='''
        def rosenbrock(x):
            return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        ''',
    ),
    Mutant(
        task="5.1",
        name="returns_python_float",
        feedback="should be a torch.Tensor, but it is a Python float",
        source='''
        def rosenbrock(x):
            return float((x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2)
        ''',
    ),
    Mutant(
        task="5.1",
        name="rebuilds_tensor_cutting_the_graph",
        feedback="No gradient flows",
        source='''
        def rosenbrock(x):
            value = (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
            return torch.tensor(value.item(), dtype=x.dtype)
        ''',
    ),
    Mutant(
        task="5.1",
        name="slices_keep_a_dimension",
        feedback="has shape (1,)",
        source='''
        def rosenbrock(x):
            return (x[1:] - x[:1] ** 2) ** 2 + (1 - x[:1]) ** 2
        ''',
    ),
    Mutant(
        task="5.1",
        name="swapped_coordinates",
        feedback="differs at index",
        source='''
        def rosenbrock(x):
            return (x[0] - x[1] ** 2) ** 2 + (1 - x[1]) ** 2
        ''',
    ),
    # --- 5.2 the three decay functions
    Mutant(
        task="5.2",
        name="step_decay_true_division",
        feedback="true division",
        source='''
        def step_decay(lr0, drop, every, iteration):
            return lr0 * drop ** (iteration / every)
        ''',
    ),
    Mutant(
        task="5.2",
        name="exponential_decay_off_by_one",
        feedback="off by one",
        source='''
        def exponential_decay(lr0, gamma, iteration):
            return lr0 * gamma ** (iteration + 1)
        ''',
    ),
    Mutant(
        task="5.2",
        name="time_based_missing_parentheses",
        feedback="time_based_decay(lr0=0.2, decay=0.01, iteration=50) is",
        source='''
        def time_based_decay(lr0, decay, iteration):
            return lr0 / 1 + decay * iteration
        ''',
    ),
    Mutant(
        task="5.2",
        name="time_based_off_by_one",
        feedback="off by one",
        source='''
        def time_based_decay(lr0, decay, iteration):
            return lr0 / (1 + decay * (iteration + 1))
        ''',
    ),
    Mutant(
        task="5.2",
        name="exponential_returns_tensor",
        feedback="should be a Python float",
        source='''
        def exponential_decay(lr0, gamma, iteration):
            return torch.tensor(lr0) * gamma**iteration
        ''',
    ),
    Mutant(
        task="5.2",
        name="step_decay_every_iteration",
        feedback="step_decay(lr0=0.1, drop=0.5, every=10, iteration=9) is",
        source='''
        def step_decay(lr0, drop, every, iteration):
            return lr0 * drop ** iteration
        ''',
    ),
    # --- 5.3 minimize
    Mutant(
        task="5.3",
        name="calls_lr_of_next_iteration",
        feedback="lr(i + 1)",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = [x.detach().clone()]
            for i in range(iterations):
                step_size = lr(i + 1) if callable(lr) else lr
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x -= step_size * grad
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory)
        ''',
    ),
    Mutant(
        task="5.3",
        name="trajectory_not_detached",
        feedback="autograd history",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = [x.clone()]
            for i in range(iterations):
                step_size = lr(i) if callable(lr) else lr
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x -= step_size * grad
                trajectory.append(x.clone())
            return torch.stack(trajectory)
        ''',
    ),
    Mutant(
        task="5.3",
        name="mutates_start",
        feedback="changed its input start",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.requires_grad_(True)
            trajectory = [x.detach().clone()]
            for i in range(iterations):
                step_size = lr(i) if callable(lr) else lr
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x -= step_size * grad
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory)
        ''',
    ),
    Mutant(
        task="5.3",
        name="never_clears_x_grad",
        feedback="x.grad was never cleared",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = [x.detach().clone()]
            for i in range(iterations):
                step_size = lr(i) if callable(lr) else lr
                f(x).backward()
                with torch.no_grad():
                    x -= step_size * x.grad
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory)
        ''',
    ),
    Mutant(
        task="5.3",
        name="forgets_start",
        feedback="has shape (100, 2)",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = []
            for i in range(iterations):
                step_size = lr(i) if callable(lr) else lr
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x -= step_size * grad
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory) if trajectory else start.clone().unsqueeze(0)
        ''',
    ),
    Mutant(
        task="5.3",
        name="walks_uphill",
        feedback="walks uphill",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = [x.detach().clone()]
            for i in range(iterations):
                step_size = lr(i) if callable(lr) else lr
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x += step_size * grad
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory)
        ''',
    ),
    # --- 5.4 time_based_lambda
    Mutant(
        task="5.4",
        name="returns_a_number",
        feedback="should be a function, but it is a float",
        source='''
        def time_based_lambda(decay):
            return 1.0 / (1.0 + decay)
        ''',
    ),
    Mutant(
        task="5.4",
        name="decays_from_epoch_one",
        feedback="off by one",
        source='''
        def time_based_lambda(decay):
            return lambda epoch: 1.0 / (1.0 + decay * (epoch + 1))
        ''',
    ),
    Mutant(
        task="5.4",
        name="exponential_instead",
        feedback="time_based_lambda(0.05)(2) is",
        source='''
        def time_based_lambda(decay):
            return lambda epoch: 1.0 / (1.0 + decay) ** epoch
        ''',
    ),
    Mutant(
        task="5.4",
        name="linear_decay",
        feedback="time_based_lambda(0.05)(1) is",
        source='''
        def time_based_lambda(decay):
            return lambda epoch: 1.0 - decay * epoch
        ''',
    ),
    Mutant(
        task="5.4",
        name="factor_is_a_tensor",
        feedback="should be a Python float",
        source='''
        def time_based_lambda(decay):
            return lambda epoch: torch.tensor(1.0 / (1.0 + decay * epoch))
        ''',
    ),
]
