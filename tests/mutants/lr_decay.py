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
        feedback="x[0] and x[1] are swapped",
        source='''
        def rosenbrock(x):
            return (x[0] - x[1] ** 2) ** 2 + (1 - x[1]) ** 2
        ''',
    ),
    # in the families: right on plain inputs, wrong only for some callers
    Mutant(
        task="5.1",
        name="no_grad_result",
        feedback="when `x` requires grad",
        source='''
        def rosenbrock(x):
            with torch.no_grad():
                return (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        ''',
    ),
    Mutant(
        task="5.1",
        name="detached_result",
        feedback="No gradient flows from rosenbrock(x)",
        source='''
        def rosenbrock(x):
            return ((x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2).detach()
        ''',
    ),
    Mutant(
        task="5.1",
        name="computes_in_float64",
        feedback="for float32 inputs",
        source='''
        def rosenbrock(x):
            x = x.double()
            return (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        ''',
    ),
    Mutant(
        task="5.1",
        name="renamed_parameter",
        feedback="when called with keyword arguments: rosenbrock(x=x)",
        source='''
        def rosenbrock(point):
            return (point[1] - point[0] ** 2) ** 2 + (1 - point[0]) ** 2
        ''',
    ),
    Mutant(
        task="5.1",
        name="calls_backward_itself",
        feedback="called backward() itself",
        source='''
        def rosenbrock(x):
            value = (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
            if value.requires_grad:
                value.backward(retain_graph=True)
            return value
        ''',
    ),
    Mutant(
        task="5.1",
        name="turns_on_requires_grad",
        feedback="changed x.requires_grad from False to True",
        source='''
        def rosenbrock(x):
            x.requires_grad_(True)
            return (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        ''',
    ),
    Mutant(
        task="5.1",
        name="one_term_from_a_number",
        feedback="when `x` requires grad",
        source='''
        def rosenbrock(x):
            a = x[0].item()
            return (x[1] - a ** 2) ** 2 + (1 - x[0]) ** 2
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
    Mutant(
        task="5.2",
        name="time_based_renamed_parameters",
        feedback="when called with keyword arguments: time_based_decay(lr0=lr0, decay=decay, iteration=iteration)",
        source='''
        def time_based_decay(lr, decay, t):
            return lr / (1 + decay * t)
        ''',
    ),
    Mutant(
        task="5.2",
        name="step_decay_renamed_parameter",
        feedback="step_decay(lr0, drop, every, iteration) must accept its arguments by these names",
        source='''
        def step_decay(lr0, drop, step_size, iteration):
            return lr0 * drop ** (iteration // step_size)
        ''',
    ),
    Mutant(
        task="5.2",
        name="exponential_decay_renamed_parameter",
        feedback="when called with keyword arguments: exponential_decay(lr0=lr0, gamma=gamma, iteration=iteration)",
        source='''
        def exponential_decay(lr0, decay_rate, iteration):
            return lr0 * decay_rate ** iteration
        ''',
    ),
    Mutant(
        task="5.2",
        name="step_decay_drops_early",
        feedback="dropped one iteration early",
        source='''
        def step_decay(lr0, drop, every, iteration):
            return lr0 * drop ** ((iteration + 1) // every)
        ''',
    ),
    Mutant(
        task="5.2",
        name="step_decay_drops_late",
        feedback="dropped one iteration late",
        source='''
        def step_decay(lr0, drop, every, iteration):
            return lr0 * drop ** max(0, (iteration - 1) // every)
        ''',
    ),
    Mutant(
        task="5.2",
        name="time_based_keeps_first_lr0",
        feedback="the rate for lr0 = 0.2 of an earlier call",
        source='''
        _initial = {}

        def time_based_decay(lr0, decay, iteration):
            initial = _initial.setdefault("lr0", lr0)  # the initial learning rate, kept
            return initial / (1 + decay * iteration)
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
        feedback="changed its input `start`",
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
    Mutant(
        task="5.3",
        name="reads_lr_once",
        feedback="lr(0) was used for every iteration",
        source='''
        def minimize(f, start, lr, iterations):
            step_size = lr(0) if callable(lr) else lr
            x = start.detach().clone().requires_grad_(True)
            trajectory = [x.detach().clone()]
            for i in range(iterations):
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x -= step_size * grad
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory)
        ''',
    ),
    # in the families
    Mutant(
        task="5.3",
        name="lr_type_is_function",
        feedback="when `lr` is a functools.partial",
        source='''
        import types

        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = [x.detach().clone()]
            for i in range(iterations):
                step_size = lr(i) if isinstance(lr, types.FunctionType) else lr
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x -= step_size * grad
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory)
        ''',
    ),
    Mutant(
        task="5.3",
        name="lr_number_unless_function_or_partial",
        feedback="when `lr` is an object with __call__",
        source='''
        import functools
        import inspect

        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = [x.detach().clone()]
            schedule = inspect.isfunction(lr) or inspect.ismethod(lr) or isinstance(lr, functools.partial)
            for i in range(iterations):
                step_size = lr(i) if schedule else float(lr)
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x -= step_size * grad
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory)
        ''',
    ),
    Mutant(
        task="5.3",
        name="flattens_start_with_view",
        feedback="when `start` is a transposed view",
        source='''
        def minimize(f, start, lr, iterations):
            flat = start.detach().view(-1).clone().requires_grad_(True)
            trajectory = [flat.detach().clone()]
            for i in range(iterations):
                step_size = lr(i) if callable(lr) else lr
                (grad,) = torch.autograd.grad(f(flat.view(start.shape)), flat)
                with torch.no_grad():
                    flat -= step_size * grad
                trajectory.append(flat.detach().clone())
            return torch.stack(trajectory).view(iterations + 1, *start.shape)
        ''',
    ),
    Mutant(
        task="5.3",
        name="clone_without_detach",
        feedback="when `start` requires grad",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.clone().requires_grad_(True)
            trajectory = [x.detach().clone()]
            for i in range(iterations):
                step_size = lr(i) if callable(lr) else lr
                f(x).backward()
                with torch.no_grad():
                    x -= step_size * x.grad
                x.grad = None
                trajectory.append(x.detach().clone())
            return torch.stack(trajectory)
        ''',
    ),
    Mutant(
        task="5.3",
        name="first_row_is_start_itself",
        feedback="still carries autograd history (requires_grad or grad_fn is set) (when `start` requires grad)",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = [start.clone()]
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
        name="renamed_parameters",
        feedback="when called with keyword arguments: minimize(f=f, start=start, lr=lr, iterations=iterations)",
        source='''
        def minimize(f, x0, lr, steps):
            x = x0.detach().clone().requires_grad_(True)
            trajectory = [x.detach().clone()]
            for i in range(steps):
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
        name="module_level_trajectory",
        feedback="something was kept from the earlier calls",
        source='''
        trajectory = []

        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            if not trajectory or trajectory[0].shape != start.shape:
                trajectory.clear()
                trajectory.append(x.detach().clone())
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
        name="computes_in_float64",
        feedback="for float32 inputs",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().double().requires_grad_(True)
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
        name="two_coordinates_assumed",
        feedback="for `start` of shape (2, 3)",
        source='''
        def minimize(f, start, lr, iterations):
            x = start.detach().clone().requires_grad_(True)
            trajectory = torch.zeros(iterations + 1, len(start), dtype=start.dtype)
            trajectory[0] = x.detach()
            for i in range(iterations):
                step_size = lr(i) if callable(lr) else lr
                (grad,) = torch.autograd.grad(f(x), x)
                with torch.no_grad():
                    x -= step_size * grad
                trajectory[i + 1] = x.detach()
            return trajectory
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
    Mutant(
        task="5.4",
        name="missing_parentheses",
        feedback="time_based_lambda(0.05)(1) is",
        source='''
        def time_based_lambda(decay):
            return lambda epoch: 1 / 1 + decay * epoch
        ''',
    ),
    # in the families
    Mutant(
        task="5.4",
        name="global_decay",
        feedback="the two factors share one decay",
        source='''
        DECAY = 0.0

        def time_based_lambda(decay):
            global DECAY
            DECAY = decay
            return lambda epoch: 1.0 / (1.0 + DECAY * epoch)
        ''',
    ),
    Mutant(
        task="5.4",
        name="class_attribute_decay",
        feedback="the two factors share one decay",
        source='''
        class TimeBased:
            decay = 0.0

            def __call__(self, epoch):
                return 1.0 / (1.0 + TimeBased.decay * epoch)

        def time_based_lambda(decay):
            TimeBased.decay = decay
            return TimeBased()
        ''',
    ),
    Mutant(
        task="5.4",
        name="factor_built_once",
        feedback="the two factors share one decay",
        source='''
        def time_based_lambda(decay, _made={}):
            if "factor" not in _made:
                _made["factor"] = lambda epoch: 1.0 / (1.0 + decay * epoch)
            return _made["factor"]
        ''',
    ),
    Mutant(
        task="5.4",
        name="counts_its_calls",
        feedback="counts its own calls instead of reading epoch",
        source='''
        def time_based_lambda(decay):
            calls = [0]

            def factor(epoch):
                value = 1.0 / (1.0 + decay * calls[0])
                calls[0] += 1
                return value

            return factor
        ''',
    ),
    Mutant(
        task="5.4",
        name="renamed_parameter",
        feedback="when called with keyword arguments: time_based_lambda(decay=decay)",
        source='''
        def time_based_lambda(rate):
            return lambda epoch: 1.0 / (1.0 + rate * epoch)
        ''',
    ),
    Mutant(
        task="5.4",
        name="remembers_the_largest_epoch",
        feedback="when the same factor is asked for epochs",
        source='''
        def time_based_lambda(decay):
            seen = {"epoch": 0}

            def factor(epoch):
                seen["epoch"] = max(seen["epoch"], epoch)  # LambdaLR only moves forward
                return 1.0 / (1.0 + decay * seen["epoch"])

            return factor
        ''',
    ),
    Mutant(
        task="5.4",
        name="table_of_100_epochs",
        feedback='with `epoch` = 100',
        source='''
        def time_based_lambda(decay):
            table = [1.0 / (1.0 + decay * epoch) for epoch in range(100)]  # a run of up to 100 epochs
            return lambda epoch: table[epoch]
        ''',
    ),
    Mutant(
        task="5.4",
        name="factor_kept_above_a_tenth",
        feedback='with `epoch` = 1000',
        source='''
        def time_based_lambda(decay):
            return lambda epoch: max(1.0 / (1.0 + decay * epoch), 0.1)  # keep a minimum learning rate
        ''',
    ),
    Mutant(
        task="5.4",
        name="decay_rate_with_a_default",
        feedback='when called with keyword arguments: time_based_lambda(decay=decay)',
        source='''
        def time_based_lambda(decay_rate=0.01):
            def factor(epoch):
                return 1.0 / (1.0 + decay_rate * epoch)

            return factor
        ''',
    ),
    Mutant(
        task="5.4",
        name="decay_in_a_default_dict",
        feedback="the two factors share one decay",
        source='''
        def time_based_lambda(decay, settings={}):
            settings["decay"] = decay
            return lambda epoch: 1.0 / (1.0 + settings["decay"] * epoch)
        ''',
    ),
]
