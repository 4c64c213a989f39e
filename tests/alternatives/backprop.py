from tests.alternatives import Alternative

ALTERNATIVES = [
    Alternative(
        task="2.1",
        name="autograd_grad_on_the_named_parameters",
        source='''
        def layer_gradients(model, sample, target):
            names, params = zip(*model.named_parameters())
            with torch.enable_grad():
                loss = torch.nn.functional.cross_entropy(model(sample), target)
                grads = torch.autograd.grad(loss, params)
            return dict(zip(names, grads))
        ''',
    ),
    Alternative(
        task="2.1",
        name="grads_set_to_none_then_deep_copied",
        source='''
        import copy

        def layer_gradients(model, sample, target):
            for p in model.parameters():
                p.grad = None
            loss_fn = nn.CrossEntropyLoss(reduction="mean")
            loss_fn(model(sample), target).backward()
            return copy.deepcopy({name: p.grad for name, p in model.named_parameters()})
        ''',
    ),
    Alternative(
        task="2.1",
        name="zeroed_gradients_copied_under_no_grad",
        source='''
        def layer_gradients(model, sample, target):
            model.zero_grad(set_to_none=False)
            logits = model(sample)
            loss = nn.CrossEntropyLoss()(logits, target)
            loss.backward()
            with torch.no_grad():
                grads = {}
                for name, parameter in model.named_parameters():
                    grads[name] = parameter.grad.clone()
            model.zero_grad()
            return grads
        ''',
    ),
    Alternative(
        task="2.2",
        name="einsum",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            grad_x = torch.einsum("no,oi->ni", grad_output, weight)
            grad_weight = torch.einsum("no,ni->oi", grad_output, x)
            grad_bias = torch.einsum("no->o", grad_output)
            return grad_x, grad_weight, grad_bias
        ''',
    ),
    Alternative(
        task="2.2",
        name="outer_products_in_float64_cast_back",
        source='''
        def linear_backward(x, weight, bias, grad_output):
            g, w, inputs = grad_output.double(), weight.double(), x.double()
            grad_weight = torch.zeros_like(w)
            for row in range(len(inputs)):
                grad_weight += torch.outer(g[row], inputs[row])
            grad_x = torch.mm(g, w)
            grad_bias = g.sum(0)
            return grad_x.to(x.dtype), grad_weight.to(weight.dtype), grad_bias.to(bias.dtype)
        ''',
    ),
    Alternative(
        task="2.3",
        name="stable_exp_of_minus_abs",
        source='''
        def sigmoid_backward(x, grad_output):
            e = torch.exp(-x.abs())
            s = torch.where(x >= 0, 1 / (1 + e), e / (1 + e))
            return grad_output * s * (1 - s)
        ''',
    ),
    Alternative(
        task="2.3",
        name="float64_inside_under_no_grad_decorator",
        source='''
        @torch.no_grad()
        def sigmoid_backward(x, grad_output):
            s = torch.sigmoid(x.double())
            return (grad_output.double() * (s - s * s)).to(x.dtype)
        ''',
    ),
    Alternative(
        task="2.4",
        name="log_softmax_and_index_subtraction",
        source='''
        def cross_entropy_backward(logits, target):
            grad = torch.log_softmax(logits, dim=1).exp()
            grad[torch.arange(len(target)), target] -= 1
            return grad / len(target)
        ''',
    ),
    Alternative(
        task="2.4",
        name="max_trick_in_a_helper_and_scatter",
        source='''
        def _softmax_rows(z):
            shifted = z - z.max(dim=1, keepdim=True).values
            exp = shifted.exp()
            return exp / exp.sum(dim=1, keepdim=True)

        def cross_entropy_backward(logits, target):
            one_hot = torch.zeros_like(logits).scatter_(1, target.unsqueeze(1), 1.0)
            return (_softmax_rows(logits) - one_hot) / logits.size(0)
        ''',
    ),
    Alternative(
        task="2.5",
        name="inline_mm_in_float64_cast_back",
        source='''
        def mlp_backward(x, target, w1, b1, w2, b2):
            dtype = x.dtype
            x, w1, b1, w2, b2 = (t.double() for t in (x, w1, b1, w2, b2))
            a = torch.mm(x, w1.t()) + b1
            h = torch.sigmoid(a)
            z = torch.mm(h, w2.t()) + b2
            p = torch.softmax(z, dim=1)
            p[torch.arange(len(target)), target] -= 1
            grad_z = p / len(target)
            grad_a = torch.mm(grad_z, w2) * h * (1 - h)
            grads = {"w1": grad_a.t() @ x, "b1": grad_a.sum(0), "w2": grad_z.t() @ h, "b2": grad_z.sum(0)}
            return {key: value.to(dtype) for key, value in grads.items()}
        ''',
    ),
    Alternative(
        task="2.5",
        name="own_helpers_under_no_grad_with_data",
        source='''
        @torch.no_grad()
        def mlp_backward(x, target, w1, b1, w2, b2):
            x, w1, b1, w2, b2 = (t.data for t in (x, w1, b1, w2, b2))
            pre_activation = x @ w1.T + b1
            hidden = torch.sigmoid(pre_activation)
            grad_logits = cross_entropy_backward(hidden @ w2.T + b2, target)
            grad_hidden, grad_w2, grad_b2 = linear_backward(hidden, w2, b2, grad_logits)
            _, grad_w1, grad_b1 = linear_backward(x, w1, b1, sigmoid_backward(pre_activation, grad_hidden))
            return dict(w1=grad_w1, b1=grad_b1, w2=grad_w2, b2=grad_b2)
        ''',
    ),
]
