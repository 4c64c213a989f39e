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
        feedback="matches the loss of softmax(model(sample))",
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
        feedback="changed its input `logits`",
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
    # --- in the families: right on plain inputs, wrong only for some callers ------------
    # 2.1
    Mutant(
        task="2.1",
        name="switches_to_eval_mode",
        feedback="matches gradients computed in eval mode",
        source='''
        def layer_gradients(model, sample, target):
            model.eval()  # only reading gradients, not training
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample), target).backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="switches_to_training_mode",
        feedback="matches gradients computed in training mode",
        source='''
        def layer_gradients(model, sample, target):
            model.train()  # gradients are for training
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample), target).backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="one_optimizer_for_every_model",
        feedback="with two nn.Sequential alive at once",
        source='''
        _optimizer = None

        def layer_gradients(model, sample, target):
            global _optimizer
            if _optimizer is None:
                _optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
            _optimizer.zero_grad()
            nn.CrossEntropyLoss()(model(sample), target).backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="returns_one_module_level_dict",
        feedback="every call returns the same dict",
        source='''
        _gradients = {}

        def layer_gradients(model, sample, target):
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample), target).backward()
            _gradients.clear()
            for name, p in model.named_parameters():
                _gradients[name] = p.grad.detach().clone()
            return _gradients
        ''',
    ),
    Mutant(
        task="2.1",
        name="renames_sample_and_target",
        feedback="when called with keyword arguments",
        source='''
        def layer_gradients(model, x, y):
            model.zero_grad()
            nn.CrossEntropyLoss()(model(x), y).backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="casts_the_logits_to_float32",
        feedback="for float64 inputs",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample).float(), target).backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="squeezes_the_logits",
        feedback="when `sample` has a single row",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample).squeeze(), target).backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="loss_as_log_of_softmax",
        feedback="takes log(0)",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            probabilities = torch.softmax(model(sample), dim=1)
            loss = -torch.log(probabilities[torch.arange(len(target)), target]).mean()
            loss.backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    Mutant(
        task="2.1",
        name="names_from_state_dict",
        feedback="for a model with buffers",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad()
            nn.CrossEntropyLoss()(model(sample), target).backward()
            grads = [p.grad.detach().clone() for p in model.parameters()]
            return dict(zip(model.state_dict(), grads))
        ''',
    ),
    Mutant(
        task="2.1",
        name="zeroes_the_parameters_not_the_gradients",
        feedback="got 0 (128 of 128 elements differ)",
        source='''
        def layer_gradients(model, sample, target):
            for p in model.parameters():
                p.data.zero_()  # clear before backward
            nn.CrossEntropyLoss()(model(sample), target).backward()
            return {name: p.grad.detach().clone() for name, p in model.named_parameters()}
        ''',
    ),
    # 2.2
    Mutant(
        task="2.2",
        name="renames_grad_output_to_dout",
        feedback="when called with keyword arguments",
        source='''
        def linear_backward(x, weight, bias, dout):
            return dout @ weight, dout.T @ x, dout.sum(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="renames_weight_and_bias",
        feedback="when called with keyword arguments",
        source='''
        def linear_backward(x, w, b, grad_output):
            return grad_output @ w, grad_output.T @ x, grad_output.sum(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="positional_only_parameters",
        feedback="when called with keyword arguments",
        source='''
        def linear_backward(x, weight, bias, grad_output, /):
            return grad_output @ weight, grad_output.T @ x, grad_output.sum(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="computes_in_numpy",
        feedback="when the parameters `weight`, `bias` require grad",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            g, w, inputs = grad_output.numpy(), weight.numpy(), x.numpy()
            return torch.from_numpy(g @ w), torch.from_numpy(g.T @ inputs), torch.from_numpy(g.sum(axis=0))
        ''',
    ),
    Mutant(
        task="2.2",
        name="computes_in_float64_without_casting_back",
        feedback="for float32 inputs",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            x, weight, grad_output = x.double(), weight.double(), grad_output.double()
            return grad_output @ weight, grad_output.T @ x, grad_output.sum(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="detaches_the_inputs_in_place",
        feedback="when x is a transposed view",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            x, weight, bias, grad_output = (t.detach_() for t in (x, weight, bias, grad_output))
            return grad_output @ weight, grad_output.T @ x, grad_output.sum(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="squeezes_the_input_gradient",
        feedback="when x has a single row",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            return (grad_output @ weight).squeeze(), grad_output.T @ x, grad_output.sum(dim=0)
        ''',
    ),
    Mutant(
        task="2.2",
        name="sums_the_bias_gradient_in_float64",
        feedback="for float32 inputs",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            grad_bias = torch.zeros(weight.shape[0], dtype=torch.float64)
            for row in grad_output:
                grad_bias += row
            return grad_output @ weight, grad_output.T @ x, grad_bias
        ''',
    ),
    # 2.3
    Mutant(
        task="2.3",
        name="sigmoid_as_exp_over_one_plus_exp",
        feedback="the sigmoid was written with exp(), which overflows",
        source='''
        def sigmoid_backward(x, grad_output):
            s = torch.exp(x) / (1 + torch.exp(x))
            return grad_output * s * (1 - s)
        ''',
    ),
    Mutant(
        task="2.3",
        name="textbook_derivative_with_exp",
        feedback="the sigmoid was written with exp(), which overflows",
        source='''
        def sigmoid_backward(x, grad_output):
            return grad_output * torch.exp(-x) / (1 + torch.exp(-x)) ** 2
        ''',
    ),
    Mutant(
        task="2.3",
        name="renames_grad_output_to_grad",
        feedback="when called with keyword arguments",
        source='''
        def sigmoid_backward(x, grad):
            s = torch.sigmoid(x)
            return grad * s * (1 - s)
        ''',
    ),
    Mutant(
        task="2.3",
        name="renames_x_to_z",
        feedback="when called with keyword arguments",
        source='''
        def sigmoid_backward(z, grad_output):
            s = torch.sigmoid(z)
            return grad_output * s * (1 - s)
        ''',
    ),
    Mutant(
        task="2.3",
        name="computes_in_numpy",
        feedback="when x requires grad",
        source='''
        import numpy as np

        def sigmoid_backward(x, grad_output):
            s = 1 / (1 + np.exp(-np.clip(x.numpy(), -500, 500)))
            return grad_output * torch.from_numpy(s * (1 - s))
        ''',
    ),
    Mutant(
        task="2.3",
        name="flattens_with_view",
        feedback="when x is a transposed view",
        source='''
        def sigmoid_backward(x, grad_output):
            flat_x, flat_grad = x.view(-1), grad_output.reshape(-1)
            s = torch.sigmoid(flat_x)
            return (flat_grad * s * (1 - s)).view(x.shape)
        ''',
    ),
    Mutant(
        task="2.3",
        name="detaches_x_in_place",
        feedback="x.requires_grad is False, but it was True",
        source='''
        def sigmoid_backward(x, grad_output):
            x.detach_()  # no autograd in this task
            s = torch.sigmoid(x)
            return grad_output * s * (1 - s)
        ''',
    ),
    # 2.4
    Mutant(
        task="2.4",
        name="softmax_without_the_max_trick",
        feedback="without subtracting each row's maximum",
        source='''
        def cross_entropy_backward(logits, target):
            exp = torch.exp(logits)
            probabilities = exp / exp.sum(dim=1, keepdim=True)
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return (probabilities - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="subtracts_the_maximum_of_the_batch",
        feedback="one maximum for the whole batch",
        source='''
        def cross_entropy_backward(logits, target):
            exp = torch.exp(logits - logits.max())
            probabilities = exp / exp.sum(dim=1, keepdim=True)
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return (probabilities - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="one_hot_guesses_the_classes",
        feedback="when no sample of target is of the last class",
        source='''
        def cross_entropy_backward(logits, target):
            one_hot = torch.nn.functional.one_hot(target).to(logits.dtype)
            return (torch.softmax(logits, dim=1) - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="renames_target_to_labels",
        feedback="when called with keyword arguments",
        source='''
        def cross_entropy_backward(logits, labels):
            one_hot = torch.nn.functional.one_hot(labels, logits.shape[1]).to(logits.dtype)
            return (torch.softmax(logits, dim=1) - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="renames_logits_to_scores",
        feedback="when called with keyword arguments",
        source='''
        def cross_entropy_backward(scores, target):
            one_hot = torch.nn.functional.one_hot(target, scores.shape[1]).to(scores.dtype)
            return (torch.softmax(scores, dim=1) - one_hot) / scores.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="computes_in_numpy",
        feedback="when `logits` requires grad",
        source='''
        import numpy as np

        def cross_entropy_backward(logits, target):
            z = logits.numpy()
            exp = np.exp(z - z.max(axis=1, keepdims=True))
            grad = exp / exp.sum(axis=1, keepdims=True)
            grad[np.arange(len(z)), target.numpy()] -= 1
            return torch.from_numpy(grad / len(z))
        ''',
    ),
    Mutant(
        task="2.4",
        name="one_hot_in_float64",
        feedback="for float32 inputs",
        source='''
        def cross_entropy_backward(logits, target):
            one_hot = torch.eye(logits.shape[1], dtype=torch.float64)[target]
            return (torch.softmax(logits, dim=1) - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="detaches_logits_in_place",
        feedback="when `logits` is a transposed view",
        source='''
        def cross_entropy_backward(logits, target):
            logits.detach_()  # no autograd in this task
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return (torch.softmax(logits, dim=1) - one_hot) / logits.shape[0]
        ''',
    ),
    Mutant(
        task="2.4",
        name="divides_by_the_number_of_classes",
        feedback="the number of classes",
        source='''
        def cross_entropy_backward(logits, target):
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            return (torch.softmax(logits, dim=1) - one_hot) / logits.shape[1]
        ''',
    ),
    # 2.5
    Mutant(
        task="2.5",
        name="softmax_without_the_max_trick",
        feedback="without subtracting each row's maximum",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            a = x @ w1.T + b1
            h = torch.sigmoid(a)
            logits = h @ w2.T + b2
            exp = torch.exp(logits)
            one_hot = torch.nn.functional.one_hot(target, logits.shape[1]).to(logits.dtype)
            grad_logits = (exp / exp.sum(dim=1, keepdim=True) - one_hot) / len(x)
            grad_a = grad_logits @ w2 * h * (1 - h)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="sigmoid_as_exp_over_one_plus_exp",
        feedback="which overflows, as in exp(x) / (1 + exp(x)) or exp(−x) / (1 + exp(−x))² (with x @ w1.T + b1 near ±1000)",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            a = x @ w1.T + b1
            h = torch.exp(a) / (1 + torch.exp(a))
            grad_logits = cross_entropy_backward(h @ w2.T + b2, target)
            grad_a = grad_logits @ w2 * h * (1 - h)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="one_hot_guesses_the_classes",
        feedback="when no sample of target is of the last class",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            h = torch.sigmoid(x @ w1.T + b1)
            logits = h @ w2.T + b2
            one_hot = torch.nn.functional.one_hot(target).to(logits.dtype)
            grad_logits = (torch.softmax(logits, dim=1) - one_hot) / len(x)
            grad_a = grad_logits @ w2 * h * (1 - h)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="capitalised_weight_names",
        feedback="when called with keyword arguments",
        source='''
        def mlp_backward(x, target, W1, b1, W2, b2):
            h = torch.sigmoid(x @ W1.T + b1)
            grad_logits = cross_entropy_backward(h @ W2.T + b2, target)
            grad_a = grad_logits @ W2 * h * (1 - h)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="renames_target_to_y",
        feedback="when called with keyword arguments",
        source='''
        def mlp_backward(x, y, w1, b1, w2, b2):
            h = torch.sigmoid(x @ w1.T + b1)
            grad_logits = cross_entropy_backward(h @ w2.T + b2, y)
            grad_a = grad_logits @ w2 * h * (1 - h)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="computes_in_numpy",
        feedback="when the parameters w1, b1, w2, b2 require grad",
        source='''
        import numpy as np

        def mlp_backward(x, target, w1, b1, w2, b2):
            x, w1, b1, w2, b2 = (t.numpy() for t in (x, w1, b1, w2, b2))
            h = 1 / (1 + np.exp(-(x @ w1.T + b1)))
            logits = h @ w2.T + b2
            exp = np.exp(logits - logits.max(axis=1, keepdims=True))
            grad_logits = exp / exp.sum(axis=1, keepdims=True)
            grad_logits[np.arange(len(x)), target.numpy()] -= 1
            grad_logits /= len(x)
            grad_a = grad_logits @ w2 * h * (1 - h)
            found = {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
            return {key: torch.from_numpy(value) for key, value in found.items()}
        ''',
    ),
    Mutant(
        task="2.5",
        name="detaches_the_parameters_in_place",
        feedback="w1.requires_grad is False, but it was True",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            for tensor in (w1, b1, w2, b2):
                tensor.detach_()  # no autograd in this task
            h = torch.sigmoid(x @ w1.T + b1)
            grad_logits = cross_entropy_backward(h @ w2.T + b2, target)
            grad_a = grad_logits @ w2 * h * (1 - h)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
    Mutant(
        task="2.5",
        name="one_hot_in_float64",
        feedback="for float32 inputs",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            h = torch.sigmoid(x @ w1.T + b1)
            logits = h @ w2.T + b2
            one_hot = torch.eye(logits.shape[1], dtype=torch.float64)[target]
            grad_logits = (torch.softmax(logits, dim=1) - one_hot) / len(x)
            grad_a = grad_logits @ w2 * h * (1 - h)
            return {"w1": grad_a.T @ x, "b1": grad_a.sum(0), "w2": grad_logits.T @ h, "b2": grad_logits.sum(0)}
        ''',
    ),
]
