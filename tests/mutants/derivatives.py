from tests.mutants import Mutant

MUTANTS = [
    # --- 1.1 central_difference --------------------------------------------------------
    Mutant(
        task="1.1",
        name="forward_difference",
        feedback="matches the forward difference",
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
        task="1.1",
        name="ignores_h",
        feedback="not with the h = 0.5 that was passed",
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
        task="1.1",
        name="sign_flipped",
        feedback="opposite sign",
        source='''
        def central_difference(f, x, h=1e-4):
            x = x.detach()
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            with torch.no_grad():
                for i in range(x.numel()):
                    step = torch.zeros(x.numel(), dtype=x.dtype)
                    step[i] = h
                    step = step.reshape(x.shape)
                    grad[i] = (f(x - step) - f(x + step)) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="divides_by_h",
        feedback="divide by 2h, not by h",
        source='''
        def central_difference(f, x, h=1e-4):
            x = x.detach()
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            with torch.no_grad():
                for i in range(x.numel()):
                    step = torch.zeros(x.numel(), dtype=x.dtype)
                    step[i] = h
                    step = step.reshape(x.shape)
                    grad[i] = (f(x + step) - f(x - step)) / h
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="moves_every_element_at_once",
        feedback="every element was moved at once",
        source='''
        def central_difference(f, x, h=1e-4):
            x = x.detach()
            with torch.no_grad():
                slope = (f(x + h) - f(x - h)) / (2 * h)
            return torch.ones_like(x) * slope
        ''',
    ),
    Mutant(
        task="1.1",
        name="exact_gradient_from_autograd",
        feedback="matches the exact gradient",
        source='''
        def central_difference(f, x, h=1e-4):
            point = x.detach().clone().requires_grad_(True)
            with torch.enable_grad():
                (grad,) = torch.autograd.grad(f(point), point)
            return grad
        ''',
    ),
    Mutant(
        task="1.1",
        name="default_h_too_large",
        feedback="the default of h is 1e-4",
        source='''
        def central_difference(f, x, h=1e-3):
            x = x.detach()
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            with torch.no_grad():
                for i in range(x.numel()):
                    step = torch.zeros(x.numel(), dtype=x.dtype)
                    step[i] = h
                    step = step.reshape(x.shape)
                    grad[i] = (f(x + step) - f(x - step)) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    # In the families: right on plain inputs, wrong only for some callers.
    Mutant(
        task="1.1",
        name="views_x_as_flat",
        feedback="when x is a transposed view",
        source='''
        def central_difference(f, x, h=1e-4):
            flat = x.detach().view(-1)
            grad = torch.zeros_like(flat)
            with torch.no_grad():
                for i in range(flat.numel()):
                    step = torch.zeros_like(flat)
                    step[i] = h
                    grad[i] = (f((flat + step).view(x.shape)) - f((flat - step).view(x.shape))) / (2 * h)
            return grad.view(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="writes_through_reshape",
        feedback="values were written into a copy",
        source='''
        def central_difference(f, x, h=1e-4):
            x = x.detach()
            grad = torch.zeros_like(x)
            with torch.no_grad():
                for i in range(x.numel()):
                    step = torch.zeros_like(x)
                    step.reshape(-1)[i] = h
                    grad.reshape(-1)[i] = (f(x + step) - f(x - step)) / (2 * h)
            return grad
        ''',
    ),
    Mutant(
        task="1.1",
        name="renames_f_to_func",
        feedback="when called with keyword arguments",
        source='''
        def central_difference(func, x, h=1e-4):
            x = x.detach()
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            with torch.no_grad():
                for i in range(x.numel()):
                    step = torch.zeros(x.numel(), dtype=x.dtype)
                    step[i] = h
                    step = step.reshape(x.shape)
                    grad[i] = (func(x + step) - func(x - step)) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="renames_h_to_eps",
        feedback="when called with keyword arguments",
        source='''
        def central_difference(f, x, eps=1e-4):
            x = x.detach()
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            with torch.no_grad():
                for i in range(x.numel()):
                    step = torch.zeros(x.numel(), dtype=x.dtype)
                    step[i] = eps
                    step = step.reshape(x.shape)
                    grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="records_a_graph_when_x_requires_grad",
        feedback="when x requires grad",
        source='''
        def central_difference(f, x, h=1e-4):
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            for i in range(x.numel()):
                step = torch.zeros(x.numel(), dtype=x.dtype)
                step[i] = h
                step = step.reshape(x.shape)
                grad[i] = (f(x + step) - f(x - step)) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="records_the_graph_of_a_module_f",
        feedback="when f is an nn.Module",
        source='''
        def central_difference(f, x, h=1e-4):
            x = x.detach()
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            for i in range(x.numel()):
                step = torch.zeros(x.numel(), dtype=x.dtype)
                step[i] = h
                step = step.reshape(x.shape)
                grad[i] = (f(x + step) - f(x - step)) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="squeezes_the_result",
        feedback="when x has a single element",
        source='''
        def central_difference(f, x, h=1e-4):
            x = x.detach()
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            with torch.no_grad():
                for i in range(x.numel()):
                    step = torch.zeros(x.numel(), dtype=x.dtype)
                    step[i] = h
                    step = step.reshape(x.shape)
                    grad[i] = (f(x + step) - f(x - step)) / (2 * h)
            return grad.reshape(x.shape).squeeze()
        ''',
    ),
    Mutant(
        task="1.1",
        name="always_float64",
        feedback="for float32 inputs",
        source='''
        def central_difference(f, x, h=1e-4):
            x = x.detach()
            grad = torch.zeros(x.numel(), dtype=torch.float64)
            with torch.no_grad():
                for i in range(x.numel()):
                    step = torch.zeros(x.numel(), dtype=x.dtype)
                    step[i] = h
                    step = step.reshape(x.shape)
                    grad[i] = (f(x + step) - f(x - step)) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    Mutant(
        task="1.1",
        name="nudges_x_and_puts_it_back",
        feedback="version counter moved",
        source='''
        def central_difference(f, x, h=1e-4):
            grad = torch.zeros(x.numel(), dtype=x.dtype)
            with torch.no_grad():
                flat = x.detach().reshape(-1)
                for i in range(x.numel()):
                    old = flat[i].item()
                    flat[i] = old + h
                    up = f(flat.reshape(x.shape))
                    flat[i] = old - h
                    down = f(flat.reshape(x.shape))
                    flat[i] = old
                    grad[i] = (up - down) / (2 * h)
            return grad.reshape(x.shape)
        ''',
    ),
    # --- 1.2 autograd_gradient ---------------------------------------------------------
    Mutant(
        task="1.2",
        name="gradient_left_on_x",
        feedback="x.grad is set, but it was None",
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
        task="1.2",
        name="turns_on_requires_grad_of_x",
        feedback="x.requires_grad is True, but it was False",
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
        feedback="matches a central-difference estimate",
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
        task="1.2",
        name="copies_through_python_floats",
        feedback="dtype float32, but dtype float64",
        source='''
        def autograd_gradient(f, x):
            point = torch.tensor(x.tolist(), requires_grad=True)
            (grad,) = torch.autograd.grad(f(point), point)
            return grad
        ''',
    ),
    # In the families.
    Mutant(
        task="1.2",
        name="clones_without_detaching",
        feedback="when x requires grad",
        source='''
        def autograd_gradient(f, x):
            point = x.clone().requires_grad_(True)
            f(point).backward()
            return point.grad
        ''',
    ),
    Mutant(
        task="1.2",
        name="switches_requires_grad_back_off",
        feedback="x.requires_grad is False, but it was True",
        source='''
        def autograd_gradient(f, x):
            x.requires_grad_(True)
            (grad,) = torch.autograd.grad(f(x), x)
            x.requires_grad_(False)
            return grad
        ''',
    ),
    Mutant(
        task="1.2",
        name="torch_func_grad_on_x",
        feedback="when x requires grad",
        source='''
        def autograd_gradient(f, x):
            return torch.func.grad(f)(x)
        ''',
    ),
    Mutant(
        task="1.2",
        name="clears_the_callers_grad",
        feedback="when x.grad already holds the caller's gradient",
        source='''
        def autograd_gradient(f, x):
            had_grad = x.requires_grad
            x.requires_grad_(True)
            x.grad = None
            f(x).backward()
            grad = x.grad.detach().clone()
            x.grad = None
            x.requires_grad_(had_grad)
            return grad
        ''',
    ),
    Mutant(
        task="1.2",
        name="renames_f_to_fn",
        feedback="when called with keyword arguments",
        source='''
        def autograd_gradient(fn, x):
            point = x.detach().clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(fn(point), point)
            return grad
        ''',
    ),
    Mutant(
        task="1.2",
        name="renames_x_to_point",
        feedback="when called with keyword arguments",
        source='''
        def autograd_gradient(f, point):
            point = point.detach().clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(f(point), point)
            return grad
        ''',
    ),
    Mutant(
        task="1.2",
        name="flattens_with_view",
        feedback="when x is a transposed view",
        source='''
        def autograd_gradient(f, x):
            flat = x.detach().view(-1).clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(f(flat.view(x.shape)), flat)
            return grad.view(x.shape)
        ''',
    ),
    Mutant(
        task="1.2",
        name="computes_in_float64",
        feedback="for float32 inputs",
        source='''
        def autograd_gradient(f, x):
            point = x.detach().double().requires_grad_(True)
            (grad,) = torch.autograd.grad(f(point), point)
            return grad
        ''',
    ),
    Mutant(
        task="1.2",
        name="squeezes_the_gradient",
        feedback="when x has a single element",
        source='''
        def autograd_gradient(f, x):
            point = x.detach().clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(f(point), point)
            return grad.squeeze()
        ''',
    ),
    # --- 1.3 gradient_descent ----------------------------------------------------------
    Mutant(
        task="1.3",
        name="walks_uphill",
        feedback="walks uphill from row 1 on",
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
        feedback="leaves out x0",
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
        task="1.3",
        name="one_step_too_many",
        feedback="one step too many",
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
        feedback="takes every step with grad_fn(x0)",
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
    Mutant(
        task="1.3",
        name="appends_one_tensor_updated_in_place",
        feedback="repeats the last iterate in every row",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            x = x0.detach().clone()
            xs = [x]
            with torch.no_grad():
                for _ in range(steps):
                    x -= lr * grad_fn(x)
                    xs.append(x)
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="returns_the_list",
        feedback="should be a torch.Tensor, but it is a list",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            x = x0.detach().clone()
            xs = [x]
            for _ in range(steps):
                x = x - lr * grad_fn(x)
                xs.append(x)
            return xs
        ''',
    ),
    Mutant(
        task="1.3",
        name="preallocates_in_the_default_dtype",
        feedback="dtype float32, but dtype float64",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            out = torch.zeros(steps + 1, *x0.shape)
            x = x0.detach().clone()
            out[0] = x
            with torch.no_grad():
                for t in range(steps):
                    x = x - lr * grad_fn(x)
                    out[t + 1] = x
            return out
        ''',
    ),
    # In the families.
    Mutant(
        task="1.3",
        name="mutable_default_list",
        feedback="kept from an earlier call",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps, iterates=[]):
            x = x0.detach().clone()
            iterates.append(x)
            with torch.no_grad():
                for _ in range(steps):
                    x = x - lr * grad_fn(x)
                    iterates.append(x)
            return torch.stack(iterates)
        ''',
    ),
    Mutant(
        task="1.3",
        name="renames_lr_to_learning_rate",
        feedback="when called with keyword arguments",
        source='''
        def gradient_descent(grad_fn, x0, learning_rate, steps):
            x = x0.detach().clone()
            xs = [x]
            with torch.no_grad():
                for _ in range(steps):
                    x = x - learning_rate * grad_fn(x)
                    xs.append(x)
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="renames_steps_to_n_steps",
        feedback="when called with keyword arguments",
        source='''
        def gradient_descent(grad_fn, x0, lr, n_steps):
            x = x0.detach().clone()
            xs = [x]
            with torch.no_grad():
                for _ in range(n_steps):
                    x = x - lr * grad_fn(x)
                    xs.append(x)
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="clones_x0_without_detaching",
        feedback="when x0 requires grad",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            x = x0.clone()
            xs = [x]
            for _ in range(steps):
                x = x - lr * grad_fn(x)
                xs.append(x)
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="records_the_graph_of_a_module_grad_fn",
        feedback="when grad_fn is an nn.Module",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            x = x0.detach().clone()
            xs = [x]
            for _ in range(steps):
                x = x - lr * grad_fn(x)
                xs.append(x)
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="flat_buffer_through_view",
        feedback="when x0 is a transposed view",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            out = torch.empty(steps + 1, x0.numel(), dtype=x0.dtype)
            x = x0.detach().clone()
            out[0] = x.view(-1)
            with torch.no_grad():
                for t in range(steps):
                    x = x - lr * grad_fn(x)
                    out[t + 1] = x.view(-1)
            return out.view(steps + 1, *x0.shape)
        ''',
    ),
    Mutant(
        task="1.3",
        name="always_float64",
        feedback="for float32 inputs",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            x = x0.detach().double()
            xs = [x]
            with torch.no_grad():
                for _ in range(steps):
                    x = x - lr * grad_fn(x)
                    xs.append(x)
            return torch.stack(xs)
        ''',
    ),
    Mutant(
        task="1.3",
        name="scales_the_gradient_in_place",
        feedback="when grad_fn returns its argument",
        source='''
        def gradient_descent(grad_fn, x0, lr, steps):
            x = x0.detach().clone()
            xs = [x]
            with torch.no_grad():
                for _ in range(steps):
                    step = grad_fn(x)
                    step *= lr
                    x = x - step
                    xs.append(x)
            return torch.stack(xs)
        ''',
    ),
]
