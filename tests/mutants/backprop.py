from tests.mutants import Mutant

MUTANTS = [
    # --- 2.1 layer_gradients -------------------------------------------------------
    Mutant(
        task="2.1",
        name="forgets_zero_grad",
        feedback="old gradients were not cleared",
        source='''
        def layer_gradients(model, sample, target):
            loss = nn.CrossEntropyLoss()(model(sample), target)
            loss.backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="sum_reduction",
        feedback="times too large",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            loss = nn.CrossEntropyLoss(reduction="sum")(model(sample), target)
            loss.backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="numbered_keys",
        feedback="has the wrong keys",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample), target).backward()
            return {f"layer{i}": p.grad.detach().clone() for i, p in enumerate(model.parameters())}
        ''',
    ),
    Mutant(
        task="2.1",
        name="returns_grad_itself",
        feedback="not a copy",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample), target).backward()
            return {name: p.grad for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="takes_an_sgd_step",
        feedback="changed the model's parameter",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample), target).backward()
            grads = {name: p.grad.detach().clone() for name, p in model.named_parameters()}
            with torch.no_grad():
                for p in model.parameters():
                    p -= 0.001 * p.grad
            return grads
        ''',
    ),
    Mutant(
        task="2.1",
        name="keeps_the_graph",
        feedback="autograd history",
        source='''
        def layer_gradients(model, sample, target):
            names, params = zip(*model.named_parameters())
            loss = nn.CrossEntropyLoss()(model(sample), target)
            grads = torch.autograd.grad(loss, params, create_graph=True)
            return dict(zip(names, grads))
        ''',
    ),
    Mutant(
        task="2.1",
        name="softmax_before_the_loss",
        feedback="differs at index",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            nn.CrossEntropyLoss()(torch.softmax(model(sample), dim=1), target).backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    # --- 2.2 linear_backward -------------------------------------------------------
    Mutant(
        task="2.2",
        name="bias_gradient_not_summed",
        feedback="summed over the batch",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            return grad_output @ weight, grad_output.T @ x, grad_output
        ''',
    ),
    Mutant(
        task="2.2",
        name="bias_gradient_averaged",
        feedback="times too small",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            return grad_output @ weight, grad_output.T @ x, grad_output.mean(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="bias_gradient_summed_over_outputs",
        feedback="summed over the outputs",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            return grad_output @ weight, grad_output.T @ x, grad_output.sum(dim=1)
        ''',
    ),
    Mutant(
        task="2.2",
        name="weight_gradient_transposed",
        feedback="the transpose of the expected",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            return grad_output @ weight, x.T @ grad_output, grad_output.sum(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="input_gradient_transposed",
        feedback="the transpose of the expected",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            return weight.T @ grad_output.T, grad_output.T @ x, grad_output.sum(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="uses_autograd",
        feedback="used autograd",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            x, weight, bias = (t.detach().requires_grad_(True) for t in (x, weight, bias))
            (x @ weight.T + bias).backward(grad_output)
            return x.grad, weight.grad, bias.grad
        ''',
    ),
    Mutant(
        task="2.2",
        name="returns_a_list",
        feedback="should be a tuple",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            return [grad_output @ weight, grad_output.T @ x, grad_output.sum(dim=0)]
        ''',
    ),
    Mutant(
        task="2.2",
        name="transposes_grad_output_in_place",
        feedback="changed its input grad_output",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            grad_x = grad_output @ weight
            grad_bias = grad_output.sum(dim=0)
            grad_weight = grad_output.t_() @ x
            return grad_x, grad_weight, grad_bias
        ''',
    ),
    # --- 2.3 sigmoid_backward ------------------------------------------------------
    Mutant(
        task="2.3",
        name="derivative_is_sigmoid",
        feedback="as the sigmoid's derivative",
        source='''
        def sigmoid_backward(x, grad_output):
            return grad_output * torch.sigmoid(x)
        ''',
    ),
    Mutant(
        task="2.3",
        name="x_taken_for_the_output",
        feedback="as if x were the sigmoid's output",
        source='''
        def sigmoid_backward(x, grad_output):
            return grad_output * x * (1 - x)
        ''',
    ),
    Mutant(
        task="2.3",
        name="forgets_grad_output",
        feedback="does not use grad_output",
        source='''
        def sigmoid_backward(x, grad_output):
            s = torch.sigmoid(x)
            return s * (1 - s)
        ''',
    ),
    Mutant(
        task="2.3",
        name="sigmoid_in_place",
        feedback="changed its input x",
        source='''
        def sigmoid_backward(x, grad_output):
            s = x.sigmoid_()
            return grad_output * s * (1 - s)
        ''',
    ),
    Mutant(
        task="2.3",
        name="uses_autograd",
        feedback="used autograd",
        source='''
        def sigmoid_backward(x, grad_output):
            x = x.detach().clone().requires_grad_(True)
            (grad,) = torch.autograd.grad(torch.sigmoid(x), x, grad_output)
            return grad
        ''',
    ),
    Mutant(
        task="2.3",
        name="always_float64",
        feedback="dtype float64",
        source='''
        def sigmoid_backward(x, grad_output):
            s = 1 / (1 + torch.exp(-x.double()))
            return grad_output * s * (1 - s)
        ''',
    ),
    # --- 2.4 cross_entropy_backward ------------------------------------------------
    Mutant(
        task="2.4",
        name="sum_instead_of_mean",
        feedback="times too large",
        source='''
        def cross_entropy_backward(logits, target):
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return torch.softmax(logits, dim=1) - one_hot
        ''',
    ),
    Mutant(
        task="2.4",
        name="softmax_forgotten",
        feedback="softmax of the logits is missing",
        source='''
        def cross_entropy_backward(logits, target):
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return (logits - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="softmax_over_the_batch",
        feedback="softmax over the batch",
        source='''
        def cross_entropy_backward(logits, target):
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return (torch.softmax(logits, dim=0) - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="sign_flipped",
        feedback="opposite sign",
        source='''
        def cross_entropy_backward(logits, target):
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return (one_hot - torch.softmax(logits, dim=1)) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="stabilises_logits_in_place",
        feedback="changed its input logits",
        source='''
        def cross_entropy_backward(logits, target):
            logits -= logits.max(dim=1, keepdim=True).values
            exp = logits.exp()
            probabilities = exp / exp.sum(dim=1, keepdim=True)
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return (probabilities - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="uses_autograd",
        feedback="used autograd",
        source='''
        def cross_entropy_backward(logits, target):
            logits = logits.detach().clone().requires_grad_(True)
            nn.CrossEntropyLoss()(logits, target).backward()
            return logits.grad
        ''',
    ),
    # --- 2.5 mlp_backward ----------------------------------------------------------
    Mutant(
        task="2.5",
        name="sum_instead_of_mean",
        feedback="times too large",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            a = x @ w1.T + b1
            h = torch.sigmoid(a)
            logits = h @ w2.T + b2
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            grad_logits = torch.softmax(logits, dim=1) - one_hot
            grad_a = grad_logits @ w2 * h * (1 - h)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="sigmoid_derivative_is_h",
        feedback="as the sigmoid's derivative",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            a = x @ w1.T + b1
            h = torch.sigmoid(a)
            grad_logits = cross_entropy_backward(h @ w2.T + b2, target)
            grad_a = grad_logits @ w2 * h
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="skips_the_sigmoid",
        feedback="skips the sigmoid",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            h = torch.sigmoid(x @ w1.T + b1)
            grad_logits = cross_entropy_backward(h @ w2.T + b2, target)
            grad_h, grad_w2, grad_b2 = linear_backward(h, w2, b2, grad_logits)
            _, grad_w1, grad_b1 = linear_backward(x, w1, b1, grad_h)
            return {"w1": grad_w1, "b1": grad_b1, "w2": grad_w2, "b2": grad_b2}
        ''',
    ),
    Mutant(
        task="2.5",
        name="sigmoid_backward_on_h",
        feedback="instead of at its input",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            h = torch.sigmoid(x @ w1.T + b1)
            grad_logits = cross_entropy_backward(h @ w2.T + b2, target)
            grad_h, grad_w2, grad_b2 = linear_backward(h, w2, b2, grad_logits)
            grad_a = sigmoid_backward(h, grad_h)
            _, grad_w1, grad_b1 = linear_backward(x, w1, b1, grad_a)
            return {"w1": grad_w1, "b1": grad_b1, "w2": grad_w2, "b2": grad_b2}
        ''',
    ),
    Mutant(
        task="2.5",
        name="second_layer_fed_pre_activation",
        feedback="as the second layer's input",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            a = x @ w1.T + b1
            h = torch.sigmoid(a)
            grad_logits = cross_entropy_backward(h @ w2.T + b2, target)
            grad_h, grad_w2, grad_b2 = linear_backward(a, w2, b2, grad_logits)
            _, grad_w1, grad_b1 = linear_backward(x, w1, b1, sigmoid_backward(a, grad_h))
            return {"w1": grad_w1, "b1": grad_b1, "w2": grad_w2, "b2": grad_b2}
        ''',
    ),
    Mutant(
        task="2.5",
        name="second_layer_weight_gradient_transposed",
        feedback="the transpose of the expected",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            a = x @ w1.T + b1
            h = torch.sigmoid(a)
            grad_logits = cross_entropy_backward(h @ w2.T + b2, target)
            grad_a = sigmoid_backward(a, grad_logits @ w2)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": h.T @ grad_logits, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="uses_autograd",
        feedback="used autograd",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            params = [t.detach().clone().requires_grad_(True) for t in (w1, b1, w2, b2)]
            with torch.enable_grad():
                hidden = torch.sigmoid(x @ params[0].T + params[1])
                loss = nn.CrossEntropyLoss()(hidden @ params[2].T + params[3], target)
            grads = torch.autograd.grad(loss, params)
            return dict(zip(["w1", "b1", "w2", "b2"], grads))
        ''',
    ),
    Mutant(
        task="2.5",
        name="returns_a_tuple",
        feedback="should be a dict",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            a = x @ w1.T + b1
            h = torch.sigmoid(a)
            grad_logits = cross_entropy_backward(h @ w2.T + b2, target)
            grad_h, grad_w2, grad_b2 = linear_backward(h, w2, b2, grad_logits)
            _, grad_w1, grad_b1 = linear_backward(x, w1, b1, sigmoid_backward(a, grad_h))
            return grad_w1, grad_b1, grad_w2, grad_b2
        ''',
    ),
]
