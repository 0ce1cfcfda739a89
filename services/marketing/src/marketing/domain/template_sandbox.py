"""Jinja2's immutable sandbox with a render budget.

The sandbox stops a template from reaching internals, but not from working forever:
two nested ``range(100000)`` loops are 10 billion steps, a macro that calls itself twice
doubles its work per level, and ``{% set s = s ~ s %}`` doubles a string per line. Every
render therefore runs under a budget: each loop step and each call costs one step, every
intermediate string, list or number is size-checked, operators that multiply text are
checked before they run, and the output is cut off at a bound. Filters and string
methods whose argument sets the size of their result (``center``, ``indent``,
``ljust``, ...) are not available to templates.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, nodes, pass_eval_context
from jinja2.exceptions import SecurityError
from jinja2.filters import do_replace
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

MAX_STEPS = 50_000  # loop iterations and calls in one render
MAX_SECONDS = 1.0
MAX_SIZE = 1_000_000  # characters of text, items of a collection, in any value or the output
MAX_INT_BITS = 4_096

# Their size argument alone makes a huge result before anything could check it.
_SIZING_FILTERS = frozenset({"center", "indent", "format", "batch", "slice", "wordwrap"})
_SIZING_STR_METHODS = frozenset(
    {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map", "replace"}
)
# printf-style width or precision from an argument, or of five digits or more
_WIDE_PERCENT_FORMAT = re.compile(r"%(\([^)]*\))?[#0 +\-]*(\*|\d{5,})|%[^%a-zA-Z]*\.(\*|\d{5,})")


class RenderBudgetExceeded(SecurityError):
    """The template needs more work or memory than one email may take."""


@dataclass
class _Budget:
    steps_left: int
    deadline: float


_budget: ContextVar[_Budget | None] = ContextVar("template_render_budget", default=None)


@contextmanager
def render_budget(steps: int = MAX_STEPS, seconds: float = MAX_SECONDS) -> Iterator[None]:
    """Renders inside this block share one budget of ``steps`` and ``seconds``."""
    token = _budget.set(_Budget(steps, time.monotonic() + seconds))
    try:
        yield
    finally:
        _budget.reset(token)


def _spend() -> None:
    budget = _budget.get()
    if budget is None:
        raise RenderBudgetExceeded("templates are rendered only inside a render budget")
    budget.steps_left -= 1
    if budget.steps_left < 0:
        raise RenderBudgetExceeded(f"the template takes more than {MAX_STEPS} loop steps")
    if time.monotonic() > budget.deadline:
        raise RenderBudgetExceeded(f"the template takes longer than {MAX_SECONDS} s to render")


def _checked(value: Any) -> Any:
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        if len(value) > MAX_SIZE:
            raise RenderBudgetExceeded(f"the template builds a value of over {MAX_SIZE} items")
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise RenderBudgetExceeded("the template builds a number too large to send")
    return value


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _check_operands(op: str, left: Any, right: Any) -> None:
    """Refuse what would be too big before computing it."""
    if op == "*":
        for sequence, count in ((left, right), (right, left)):
            size = _sized(sequence)
            if size is not None and isinstance(count, int) and size * count > MAX_SIZE:
                raise RenderBudgetExceeded(f"the template builds a value of over {MAX_SIZE} items")
    elif op == "**" and isinstance(left, int) and isinstance(right, int):
        if right > 0 and max(left.bit_length(), 1) * right > MAX_INT_BITS:
            raise RenderBudgetExceeded("the template builds a number too large to send")
    elif op == "%" and isinstance(left, str) and _WIDE_PERCENT_FORMAT.search(left):
        raise RenderBudgetExceeded("the template formats with a width too large to send")


class _BudgetedNodes(NodeTransformer):
    """Rewrites the parsed template so loops and ``~`` go through the budget."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _call_environment("budgeted_steps", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _call_environment("budgeted_value", node)


def _call_environment(method: str, argument: nodes.Node) -> nodes.Call:
    call = nodes.Call(nodes.EnvironmentAttribute(method), [argument], [], None, None)
    call.set_lineno(argument.lineno)
    return call


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every render bounded (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *, autoescape: bool) -> None:
        super().__init__(autoescape=autoescape, undefined=StrictUndefined)
        self.globals = {"range": self.globals["range"]}
        self.filters = {
            name: function
            for name, function in self.filters.items()
            if name not in _SIZING_FILTERS and name != "replace"
        }
        self.filters["replace"] = _bounded_replace

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        budgeted = _BudgetedNodes().visit(tree)
        budgeted.set_environment(self)
        return budgeted  # type: ignore[no-any-return]

    def budgeted_steps(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            _spend()
            yield item

    def budgeted_value(self, value: Any) -> Any:
        return _checked(value)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str | bytes) and attr in _SIZING_STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _spend()
        return _checked(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator_name: str, left: Any, right: Any) -> Any:
        _spend()
        _check_operands(operator_name, left, right)
        return _checked(super().call_binop(context, operator_name, left, right))


@pass_eval_context
def _bounded_replace(
    eval_ctx: EvalContext, value: Any, old: str, new: str, count: int | None = None
) -> Any:
    """Jinja's ``replace`` filter, refused when the result could exceed the budget."""
    text, old, new = str(value), str(old), str(new)
    occurrences = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        occurrences = min(occurrences, count)
    if len(text) + occurrences * len(new) > MAX_SIZE:
        raise RenderBudgetExceeded(f"the template builds a value of over {MAX_SIZE} items")
    return do_replace(eval_ctx, value, old, new, count)


def render_within_budget(parts: Iterable[str]) -> str:
    """Join rendered output, stopping once it grows past the bound."""
    collected: list[str] = []
    size = 0
    for part in parts:
        size += len(part)
        if size > MAX_SIZE:
            raise RenderBudgetExceeded(f"the template renders more than {MAX_SIZE} characters")
        collected.append(part)
    return "".join(collected)
