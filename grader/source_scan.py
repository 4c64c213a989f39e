"""What a submission's code refers to, read from its source by the judge.

Some tasks forbid an API: autograd where the gradient must be written by hand
(unit 2), `torch.optim` where the update must be written by hand (unit 4).
The scenarios also watch for those calls at run time, but anything a task's
process watches, the task can switch off. This reading happens in the judge,
on the file the worker ran, so nothing the task does at run time changes it.

It follows the task's functions into the module's own helpers and classes,
resolves import aliases (`from torch.autograd import grad as g`), and
reads `getattr(torch.optim, "SGD")` and `importlib.import_module(...)` with
constant names. Code that hides a name behind computation is left to the
run-time watch.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass

POLICIES = ("autograd", "torch_optim", "optimizers")


@dataclass(frozen=True)
class Use:
    """One forbidden reference: what it names and where."""

    name: str
    line: int

    def __str__(self) -> str:
        return f"{self.name} (line {self.line})"


def _dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a name; `?.c` when the chain starts elsewhere (a call)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif parts:
        parts.append("?")
    else:
        return None
    return ".".join(reversed(parts))


def _local_names(definition: ast.AST) -> set[str]:
    """Names bound inside a function or class (its arguments included): they shadow the imports."""
    names: set[str] = set()
    for node in ast.walk(definition):
        if isinstance(node, ast.arguments):
            names.update(arg.arg for arg in [*node.posonlyargs, *node.args, *node.kwonlyargs])
            names.update(arg.arg for arg in (node.vararg, node.kwarg) if arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


class _Module:
    """The module's top-level definitions and import aliases."""

    def __init__(self, tree: ast.Module) -> None:
        self.definitions: dict[str, ast.AST] = {}
        self.aliases: dict[str, str] = {}
        self.methods: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.ClassDef):
                self.methods.update(item.name for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.definitions[node.name] = node
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.definitions[target.id] = node

    def resolve(self, dotted: str, local: frozenset[str] | set[str] = frozenset()) -> str:
        head, _, rest = dotted.partition(".")
        if head in self.aliases and head not in self.definitions and head not in local:
            head = self.aliases[head]
        return f"{head}.{rest}" if rest else head


def _reachable(module: _Module, functions: tuple[str, ...]) -> list[ast.AST]:
    """The task's definitions and every module-level definition they mention, transitively."""
    seen: list[str] = []
    queue = [name for name in functions if name in module.definitions]
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.append(name)
        for node in ast.walk(module.definitions[name]):
            if isinstance(node, ast.Name) and node.id in module.definitions and node.id not in seen:
                queue.append(node.id)
    return [module.definitions[name] for name in seen]


def _references(module: _Module, node: ast.AST) -> list[tuple[str, int, ast.AST]]:
    """(resolved dotted name, line, node) of every name, attribute chain and constant-name lookup."""
    found = []
    local = _local_names(node)
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute | ast.Name):
            dotted = _dotted(child)
            if dotted:
                found.append((module.resolve(dotted, local), child.lineno, child))
        if isinstance(child, ast.Call):
            callee = _dotted(child.func)
            constant = [arg.value for arg in child.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if callee == "getattr" and len(child.args) >= 2 and constant:
                owner = _dotted(child.args[0])
                if owner:
                    found.append((f"{module.resolve(owner, local)}.{constant[0]}", child.lineno, child))
            elif callee and module.resolve(callee, local) in ("importlib.import_module", "__import__") and constant:
                found.append((constant[0], child.lineno, child))
    return found


def _autograd(module: _Module, name: str, node: ast.AST) -> bool:
    if name.startswith(("torch.autograd", "torch.func.", "functorch")) or name in ("torch.enable_grad", "torch.set_grad_enabled"):
        return True
    last = name.rsplit(".", 1)[-1]
    if last == "backward" and "." in name and "backward" not in module.methods:
        return True  # a tensor's backward(); a class of the student's own may define one
    return last == "requires_grad_" and "." in name


def _torch_optim(module: _Module, name: str, node: ast.AST) -> bool:
    return name.startswith(("torch.optim.SGD", "torch.optim.sgd", "torch.optim._functional"))


def _optimizers(module: _Module, name: str, node: ast.AST) -> bool:
    """Any optimizer of torch.optim (its schedulers are not optimizers)."""
    return name.startswith("torch.optim.") and not name.startswith("torch.optim.lr_scheduler") or name.startswith("torch.optim._functional")


_CHECKS = {"autograd": _autograd, "torch_optim": _torch_optim, "optimizers": _optimizers}


def _keyword_uses(node: ast.AST) -> list[Use]:
    """`requires_grad=True` in a call, or `x.requires_grad = True`: a graph is being built."""
    found = []
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            for keyword in child.keywords:
                if keyword.arg == "requires_grad" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                    found.append(Use("requires_grad=True", child.lineno))
        elif isinstance(child, ast.Assign):
            for target in child.targets:
                if isinstance(target, ast.Attribute) and target.attr == "requires_grad":
                    found.append(Use(".requires_grad = True", child.lineno))
    return found


@functools.lru_cache(maxsize=32)
def _module(source: str) -> _Module | None:
    """A module's definitions and aliases, read once per source (several checks ask)."""
    try:
        return _Module(ast.parse(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def forbidden_uses(source: str, functions: tuple[str, ...], policy: str) -> list[Use]:
    """Every use the `policy` forbids in the task's functions and what they reach, in line order."""
    module = _module(source)
    if module is None:
        return []
    check = _CHECKS[policy]
    found: dict[tuple[str, int], Use] = {}
    for definition in _reachable(module, functions):
        for name, line, node in _references(module, definition):
            if check(module, name, node):
                found.setdefault((name, line), Use(name, line))
        if policy == "autograd":
            for use in _keyword_uses(definition):
                found.setdefault((use.name, use.line), use)
    # A chain such as torch.autograd.grad also lists torch.autograd: keep the longest at each line.
    uses = sorted(found.values(), key=lambda use: (use.line, -len(use.name)))
    kept: list[Use] = []
    for use in uses:
        if not any(other.line == use.line and other.name.startswith(use.name) for other in kept):
            kept.append(use)
    return kept
