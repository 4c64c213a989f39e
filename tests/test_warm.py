"""The warm-up's stand-ins answer like the real modules, and give way to them when anything else is used."""

import subprocess
import sys
import textwrap

CASES = {
    "torch.func.grad": "from torch.func import grad\nassert grad(lambda x: (x ** 2).sum())(torch.ones(3)).tolist() == [2.0, 2.0, 2.0]",
    "torch.func.vmap and jacrev": "from torch.func import jacrev, vmap\nassert vmap(jacrev(torch.sin))(torch.zeros(2, 1)).shape == (2, 1, 1)",
    "torch._dynamo by name": "import torch._dynamo\nassert torch._dynamo.config is not None and type(torch._dynamo).__name__ == 'module'",
    "an optimizer step": "p = torch.ones(2, requires_grad=True)\n(p * 3).sum().backward()\ntorch.optim.Adam([p]).step()\nassert p.tolist() != [1.0, 1.0]",
    "a gradient given to backward": "x = torch.ones(2, requires_grad=True)\n(x * 2).backward(torch.ones(2))\nassert x.grad.tolist() == [2.0, 2.0]",
    "symbolic_shapes by name": "from torch.fx.experimental import symbolic_shapes\nassert symbolic_shapes.ShapeEnv is not None",
    "compiled_autograd by name": "from torch._dynamo import compiled_autograd\nwith compiled_autograd._disable():\n    assert not compiled_autograd.compiled_autograd_enabled",
}


def test_after_the_warm_up_torch_works_as_without_it():
    # One fresh interpreter for every case: each case reaches the real modules in its own way.
    program = "import torch\nfrom grader import warm\nwarm.warm_up()\nfailed = []\n"
    for name, code in CASES.items():
        program += f"try:\n{textwrap.indent(code, '    ')}\nexcept Exception as error:\n    failed.append(({name!r}, repr(error)))\n"
    program += "print(failed)\n"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "[]", (done.stdout[-2000:], done.stderr[-2000:])


def test_torch_func_gradients_need_no_compiler():
    """`grad`, `vjp`, `jacrev` and `jvp` answer without loading dynamo (about a second in every task
    process that uses them): compiled autograd, which they switch off, is never on."""
    program = textwrap.dedent(
        """
        import sys
        import torch
        from grader import warm
        warm.warm_up()
        from torch.func import grad, jacrev, jvp, vjp
        assert grad(lambda x: (x ** 3).sum())(torch.ones(2)).tolist() == [3.0, 3.0]
        assert vjp(lambda x: x ** 2, torch.ones(2))[1](torch.ones(2))[0].tolist() == [2.0, 2.0]
        assert jacrev(lambda x: x ** 2)(torch.ones(2)).tolist() == [[2.0, 0.0], [0.0, 2.0]]
        assert jvp(lambda x: x ** 2, (torch.ones(2),), (torch.ones(2),))[1].tolist() == [2.0, 2.0]
        print(type(sys.modules["torch._dynamo"]).__name__)
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "_DynamoStandIn", (done.stdout[-2000:], done.stderr[-2000:])


def test_a_stand_in_held_from_before_dynamo_loaded_reaches_the_real_module():
    """Code that bound `torch._dynamo` early still gets the real `compiled_autograd` later, and the
    real dynamo is loaded once, not again."""
    program = textwrap.dedent(
        """
        import sys
        import torch
        from grader import warm
        warm.warm_up()
        early = torch._dynamo
        import torch._dynamo.config
        real = sys.modules["torch._dynamo"]
        assert early.compiled_autograd.compiled_autograd_enabled is False
        assert sys.modules["torch._dynamo"] is real and torch._dynamo is real and type(real).__name__ == "module"
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", (done.stdout[-2000:], done.stderr[-2000:])
