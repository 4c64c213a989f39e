"""Is a Chinese sentence Chinese? English words outside code give it away.

Code is allowed in Chinese text, and only code: anything in backticks, call
and attribute expressions (`mse(y_hat, y)`, `x.grad`), identifiers with an
underscore or a digit, dtype and type names, numbers and shapes. What is left
must hold no word of two or more Latin letters.
"""

from __future__ import annotations

import re

# Words that are code or names even without code punctuation around them.
CODE_WORDS = {
    "torch", "Tensor", "tensor", "autograd", "backward", "dtype", "float", "int", "bool", "str", "list", "tuple",
    "dict", "None", "True", "False", "lambda", "numpy", "float16", "float32", "float64", "bfloat16", "int64",
    "int32", "uint8", "grad", "lr", "lr0", "nn", "optim", "SGD", "Optimizer", "LambdaLR", "MSE", "GiB", "MB", "KB",
    "NaN", "nan", "inf", "CPU", "GPU", "CUDA", "SIGSEGV", "SIGKILL", "SIGXCPU", "SystemExit", "KeyboardInterrupt",
    "RuntimeError", "ValueError", "TypeError", "IndexError", "KeyError", "AttributeError", "ImportError",
    "NotImplementedError", "ModuleNotFoundError", "FileNotFoundError", "PermissionError", "MemoryError",
    "ZeroDivisionError", "AssertionError", "OSError", "Python", "PyTorch", "Jupyter", "Gradescope", "nbgrader",
    "buffer", "generator", "step", "zero_grad", "param_groups", "params", "momentum", "nesterov", "ReLU",
    "Sequential", "Linear", "CrossEntropyLoss", "sigmoid", "softmax", "logits", "target", "model", "epoch",
    "iteration", "batch_size", "exercises", "grader", "check", "hint", "watch", "next", "reset", "py", "ipynb",
}  # fmt: skip

CODE_SPAN = re.compile(r"`[^`]*`")
EXPRESSION = re.compile(r"[A-Za-z_][\w.]*\([^()]*(?:\([^()]*\)[^()]*)*\)|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|\b\d+(?:\.[A-Za-z_]\w*)+|[A-Za-z_]*[_\d][\w]*|\b[A-Za-z]\b")
WORD = re.compile(r"[A-Za-z]{2,}")


def english_outside_code(text: str) -> list[str]:
    """The Latin words of `text` that are not code: empty for a properly Chinese sentence."""
    stripped = CODE_SPAN.sub(" ", text)
    stripped = EXPRESSION.sub(" ", stripped)
    return [word for word in WORD.findall(stripped) if word not in CODE_WORDS]
