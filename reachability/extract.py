"""Extract definitions, call sites, imports and simple types from one module with LibCST.

One visitor per file, with ``ScopeProvider`` and ``PositionProvider`` only: names are resolved
at call sites (``scope.get_qualified_names_for``), never for every node. The result is plain data
(:class:`~reachability.facts.ModuleFacts`), so it can cross process boundaries and be cached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.metadata import (
    CodeRange,
    MetadataWrapper,
    PositionProvider,
    QualifiedNameSource,
    Scope,
    ScopeProvider,
)

from reachability.facts import (
    MAIN_BLOCK,
    CallSite,
    ClassFacts,
    FunctionFacts,
    ImportFacts,
    ModuleFacts,
    Name,
    SiteKind,
)

__all__ = ["extract_module"]

_SOURCES = {
    QualifiedNameSource.IMPORT: "import",
    QualifiedNameSource.LOCAL: "local",
    QualifiedNameSource.BUILTIN: "builtin",
}
_OPERATORS: dict[type[cst.CSTNode], str] = {
    cst.Add: "__add__",
    cst.Subtract: "__sub__",
    cst.Multiply: "__mul__",
    cst.Divide: "__truediv__",
    cst.FloorDivide: "__floordiv__",
    cst.Modulo: "__mod__",
    cst.Power: "__pow__",
    cst.MatrixMultiply: "__matmul__",
    cst.BitAnd: "__and__",
    cst.BitOr: "__or__",
    cst.BitXor: "__xor__",
    cst.LeftShift: "__lshift__",
    cst.RightShift: "__rshift__",
}
_DYNAMIC_CALLS = {"builtins.eval", "builtins.exec", "builtins.compile"}
_IMPORT_CALLS = {"importlib.import_module", "builtins.__import__"}


def extract_module(source: str, *, module: str, path: str, is_package: bool) -> ModuleFacts:
    """Parse ``source`` (the text of ``module`` at ``path``) and return its facts.

    Raises ``libcst.ParserSyntaxError`` on a syntax error; the index records it per file.
    """
    wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
    visitor = _Extractor(module=module, is_package=is_package)
    wrapper.visit(visitor)
    return ModuleFacts(
        module=module,
        path=path,
        is_package=is_package,
        lines=source.count("\n") + 1,
        functions=tuple(visitor.functions),
        classes=tuple(visitor.classes),
        sites=tuple(visitor.sites),
        imports=tuple(visitor.imports),
        variable_types=tuple(visitor.variable_types),
        assigned_attributes=tuple(dict.fromkeys(visitor.assigned_attributes)),
        aliases=tuple(visitor.aliases),
        main_block=visitor.main_block,
        dynamic=tuple(visitor.dynamic),
    )


class _Extractor(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (ScopeProvider, PositionProvider)

    def __init__(self, *, module: str, is_package: bool) -> None:
        super().__init__()
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.scope_stack: list[str] = []  # qualnames of enclosing functions and classes
        self.function_stack: list[str] = []  # qualnames of enclosing functions only
        self.class_stack: list[str | None] = []  # innermost class directly enclosing
        self.functions: list[FunctionFacts] = []
        self.classes: list[ClassFacts] = []
        self.sites: list[CallSite] = []
        self.imports: list[ImportFacts] = []
        self.variable_types: list[tuple[str, str, tuple[Name, ...]]] = []
        self.aliases: list[tuple[str, tuple[Name, ...]]] = []
        self.dynamic: list[tuple[str, str]] = []
        self._callee_nodes: set[int] = set()  # Attribute nodes already handled as callees
        self._written_nodes: set[int] = set()  # Attribute nodes assigned to, not read
        self.assigned_attributes: list[tuple[str, str]] = []
        self._loop_constants: list[tuple[str, tuple[str, ...]]] = []  # ``for x in ("a", "b")``
        self._main_guard: cst.If | None = None
        self.main_block = 0
        self._constants: dict[str, bool] = {}  # module-level ``PY2 = sys.version_info[0] == 2``

    # -- helpers ---------------------------------------------------------------------------

    @property
    def caller(self) -> str:
        return self.function_stack[-1] if self.function_stack else ""

    def _qualname(self, name: str) -> str:
        return ".".join([*self.scope_stack, name])

    def _names(self, node: cst.CSTNode) -> tuple[Name, ...]:
        scope = self.get_metadata(ScopeProvider, node, None)
        if not isinstance(scope, Scope):
            return ()
        found = scope.get_qualified_names_for(node)
        return tuple(sorted(Name(q.name, _SOURCES[q.source]) for q in found))  # type: ignore[arg-type]

    def _position(self, node: cst.CSTNode) -> tuple[int, int]:
        position = self.get_metadata(PositionProvider, node)
        assert isinstance(position, CodeRange)
        return position.start.line, position.start.column

    def _site(
        self, kind: SiteKind, names: Sequence[Name], node: cst.CSTNode, attribute: str = ""
    ) -> None:
        if names:
            line, column = self._position(node)
            self.sites.append(CallSite(self.caller, kind, tuple(names), line, column, attribute))

    def _annotation_names(self, annotation: cst.Annotation | None) -> tuple[Name, ...]:
        if annotation is None:
            return ()
        return self._type_names(annotation.annotation)

    def _type_names(self, expression: cst.BaseExpression) -> tuple[Name, ...]:
        """The class an annotation names.

        ``X``, ``"X"``, ``Optional[X]`` and ``X | None`` name ``X``; other generics name the
        container itself (``MultiDict[str, str]`` is a ``MultiDict``).
        """
        if isinstance(expression, cst.SimpleString):  # a forward reference: "Template"
            text = expression.evaluated_value
            return _forward_reference(text) if isinstance(text, str) else ()
        if isinstance(expression, cst.BinaryOperation) and isinstance(
            expression.operator, cst.BitOr
        ):
            left, right = expression.left, expression.right
            return self._type_names(right if _is_none(left) else left)
        if isinstance(expression, cst.Subscript):
            base = self._names(expression.value)
            if any(name.text == "typing.Optional" for name in base):
                element = expression.slice[0].slice
                if isinstance(element, cst.Index):
                    return self._type_names(element.value)
                return ()
            return base
        return self._names(expression)

    # -- definitions -----------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        qualname = self._qualname(node.name.value)
        decorators = []
        is_property = is_staticmethod = False
        for decorator in node.decorators:
            expression = decorator.decorator
            target = expression.func if isinstance(expression, cst.Call) else expression
            names = self._names(target)
            texts = {name.text for name in names}
            is_property |= (
                "builtins.property" in texts
                or _is_setter(target)
                or any(text.endswith("cached_property") for text in texts)
            )
            is_staticmethod |= "builtins.staticmethod" in texts
            decorators.append(names)
            if not isinstance(expression, cst.Call) and not _all_builtin(names):
                self._site("decorator", names, decorator)  # a Call decorator is a call site
        params = node.params.params
        first = params[0].name.value if params else None
        for param in [*node.params.posonly_params, *params, *node.params.kwonly_params]:
            types = self._annotation_names(param.annotation)
            if types:
                self.variable_types.append((qualname, param.name.value, types))
        enclosing_class = self.class_stack[-1] if self.class_stack else None
        self.functions.append(
            FunctionFacts(
                qualname=qualname,
                line=self._position(node)[0],
                class_qualname=enclosing_class,
                decorators=tuple(decorators),
                returns=self._annotation_names(node.returns),
                first_parameter=first,
                is_property=is_property,
                is_staticmethod=is_staticmethod,
                returns_argument=_returns_argument(node),
            )
        )
        if not is_property and any(not _all_builtin(names) for names in decorators):
            # A decorated function is reachable through its decorator (a framework calls it);
            # a property's getter runs when the attribute is read, which reads model.
            self._site("decorated", [Name(qualname, "local")], node)

    # Decorators, defaults and annotations run in the enclosing scope: only the body is inside.
    def visit_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self.scope_stack.append(node.name.value)
        self.function_stack.append(".".join(self.scope_stack))
        self.class_stack.append(None)

    def leave_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self.scope_stack.pop()
        self.function_stack.pop()
        self.class_stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        qualname = self._qualname(node.name.value)
        bases = tuple(self._names(arg.value) for arg in node.bases if arg.keyword is None)
        self.classes.append(ClassFacts(qualname, self._position(node)[0], bases))
        for decorator in node.decorators:
            if not isinstance(decorator.decorator, cst.Call):
                self._site("decorator", self._names(decorator.decorator), decorator)

    def visit_ClassDef_body(self, node: cst.ClassDef) -> None:
        self.class_stack.append(self._qualname(node.name.value))
        self.scope_stack.append(node.name.value)

    def leave_ClassDef_body(self, node: cst.ClassDef) -> None:
        self.scope_stack.pop()
        self.class_stack.pop()

    # -- imports ---------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        line = self._position(node)[0]
        for alias in node.names:
            dotted = _dotted(alias.name)
            if not dotted:
                continue
            self.imports.append(ImportFacts(dotted, self.caller, line))
            if not self.scope_stack:
                bound = _asname(alias) or dotted.partition(".")[0]
                target = dotted if _asname(alias) else bound
                self.aliases.append((bound, (Name(target, "import"),)))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        line = self._position(node)[0]
        base = "." * len(node.relative) + (_dotted(node.module) if node.module else "")
        if isinstance(node.names, cst.ImportStar):
            self.imports.append(ImportFacts(base, self.caller, line, star=True))
            return
        self.imports.append(ImportFacts(base, self.caller, line))
        for alias in node.names:
            # ``from pkg import sub`` may import a submodule: record it, the index checks
            name = _dotted(alias.name)
            joined = f"{base}.{name}" if not base.endswith(".") else f"{base}{name}"
            self.imports.append(ImportFacts(joined, self.caller, line))
            if not self.scope_stack:
                self.aliases.append((_asname(alias) or name, (Name(joined, "import"),)))

    # -- calls and other sites -------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            self._callee_nodes.add(id(func))
            inner = func.value
            if isinstance(inner, cst.Call):
                if self._is_super(inner):
                    self._site("super", [Name("super", "builtin")], node, func.attr.value)
                else:
                    self._site("call-result", self._names(inner.func), node, func.attr.value)
                self._arguments(node)
                return
        names = self._names(func)
        if not names and isinstance(func, (cst.Name, cst.Attribute)) and _dotted(func):
            # not bound in this file: a global from ``import *`` (or a builtin LibCST missed)
            names = (Name(_dotted(func), "local"),)
        texts = {name.text for name in names}
        if texts & _DYNAMIC_CALLS:
            self._dynamic(f"{sorted(texts & _DYNAMIC_CALLS)[0][9:]} at line {self._line(node)}")
        if texts & _IMPORT_CALLS:
            self._dynamic_import(node)
        if "builtins.getattr" in texts and not _constant_argument(node, 1):
            self._dynamic(f"getattr with a computed name at line {self._line(node)}")
        self._site("call", names, node)
        self._arguments(node)

    def _dynamic(self, what: str) -> None:
        self.dynamic.append((self.caller, what))

    def _line(self, node: cst.CSTNode) -> int:
        return self._position(node)[0]

    def _is_super(self, call: cst.Call) -> bool:
        return any(name.text == "builtins.super" for name in self._names(call.func))

    def _dynamic_import(self, node: cst.Call) -> None:
        constant = _constant_argument(node, 0)
        targets = (constant,) if constant is not None else self._loop_values(node)
        if targets is None:
            self._dynamic(f"import of a computed module name at line {self._line(node)}")
            return
        for target in targets:
            self.imports.append(ImportFacts(target, self.caller, self._line(node)))

    def _loop_values(self, node: cst.Call) -> tuple[str, ...] | None:
        """The strings a loop variable argument takes: ``for m in ("a", "b"): import_module(m)``."""
        value = node.args[0].value if node.args else None
        if not isinstance(value, cst.Name):
            return None
        for variable, strings in reversed(self._loop_constants):
            if variable == value.value:
                return strings
        return None

    def _arguments(self, node: cst.Call) -> None:
        for arg in node.args:
            self._reference(arg.value)

    def visit_Element(self, node: cst.Element) -> None:
        self._reference(node.value)  # [f, g], (f, g), {f, g}: dispatch tables

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self._reference(node.value)  # {"start": start}

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._reference(node.value)

    def _reference(self, node: cst.BaseExpression) -> None:
        """A function handed on (callback, closure) is reachable from here."""
        if isinstance(node, (cst.Name, cst.Attribute)):
            names = [name for name in self._names(node) if name.source != "builtin"]
            self._site("reference", names, node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        skipped = self._callee_nodes | self._written_nodes
        if id(node) not in skipped and isinstance(node.value, cst.Name):
            named = [name for name in self._names(node) if name.source != "builtin"]
            self._site("attribute", named, node)

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            manager = item.item
            if isinstance(manager, cst.Call):
                names = self._names(manager.func)
            else:
                names = self._names(manager)
            self._site("with", names, item, "async" if node.asynchronous else "")
            target = item.asname.name if item.asname else None
            if isinstance(target, cst.Name) and isinstance(manager, cst.Call) and names:
                self.variable_types.append((self.caller, target.value, names))

    def visit_If(self, node: cst.If) -> bool:
        if not self.scope_stack and self._main_guard is None and _is_main_guard(node):
            self._main_guard = node
            self.main_block = self._line(node)
            self.function_stack.append(MAIN_BLOCK)  # its code is a function of its own
            return True
        truth = _python3_truth(node.test, self._constants)
        if truth is None:
            return True
        live = node.body if truth else node.orelse  # the branch Python 2 alone would run is dead
        if live is not None:
            live.visit(self)
        return False

    def leave_If(self, original_node: cst.If) -> None:
        if original_node is self._main_guard:
            self.function_stack.pop()
            self._main_guard = None

    def visit_For(self, node: cst.For) -> None:
        iterable = node.iter
        if isinstance(iterable, (cst.Name, cst.Attribute)):
            self._site("iter", self._names(iterable), node, "async" if node.asynchronous else "")
        strings = _literal_strings(iterable)
        if isinstance(node.target, cst.Name) and strings is not None:
            self._loop_constants.append((node.target.value, strings))

    def leave_For(self, original_node: cst.For) -> None:
        strings = _literal_strings(original_node.iter)
        if isinstance(original_node.target, cst.Name) and strings is not None:
            self._loop_constants.pop()

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        dunder = _OPERATORS.get(type(node.operator))
        if dunder and isinstance(node.left, (cst.Name, cst.Attribute)):
            self._site("operator", self._names(node.left), node, dunder)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if isinstance(node.value, cst.Name):
            self._site("operator", self._names(node.value), node, "__getitem__")

    # -- assignments: simple types and aliases ---------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        flag = node.targets[0].target if len(node.targets) == 1 else None
        if not self.scope_stack and isinstance(flag, cst.Name):
            truth = _python3_truth(node.value, self._constants)
            if truth is None:
                self._constants.pop(flag.value, None)  # rebound to something we cannot decide
            else:
                self._constants[flag.value] = truth
        for target in node.targets:
            self._bound(target.target)
            self._assigned(target.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bound(node.target)

    def _bound(self, target: cst.BaseExpression) -> None:
        """Note attributes that instances get: ``self.x = ...`` and class-body names."""
        if isinstance(target, cst.Attribute):
            self._written_nodes.add(id(target))
            owner = self._method_class()
            if _is_self_attribute(target) and owner:
                self.assigned_attributes.append((owner, target.attr.value))
        elif isinstance(target, cst.Name) and self._in_class_body():
            self.assigned_attributes.append((self.class_stack[-1] or "", target.value))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bound(element.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bound(node.target)
        types = self._annotation_names(node.annotation)
        if isinstance(node.target, cst.Name) and types:
            self.variable_types.append((self.caller, node.target.value, types))
        elif _is_self_attribute(node.target) and types and self._method_class():
            assert isinstance(node.target, cst.Attribute)
            self.variable_types.append((self._method_class() or "", node.target.attr.value, types))
        if node.value is not None:
            self._assigned(node.target, node.value)

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(value, cst.Call):
            types = self._names(value.func)
            if not types:
                return
            if isinstance(target, cst.Name):
                scope = self.caller if not self._in_class_body() else self.class_stack[-1] or ""
                self.variable_types.append((scope, target.value, types))
            elif _is_self_attribute(target) and self._method_class():
                assert isinstance(target, cst.Attribute)
                self.variable_types.append((self._method_class() or "", target.attr.value, types))
        elif isinstance(value, (cst.Name, cst.Attribute)) and isinstance(target, cst.Name):
            if not self.scope_stack:
                self.aliases.append((target.value, self._names(value)))
            elif self._in_class_body():  # ``helper = staticmethod(f)`` style class aliases
                self.aliases.append((self._qualname(target.value), self._names(value)))

    def _in_class_body(self) -> bool:
        return bool(self.class_stack) and self.class_stack[-1] is not None

    def _method_class(self) -> str | None:
        """The class of the method we are directly in, if any."""
        if len(self.class_stack) >= 2 and self.class_stack[-1] is None:
            return self.class_stack[-2]
        return None


def _forward_reference(text: str) -> tuple[Name, ...]:
    """A string annotation, resolved later like a module-level name."""
    text = text.strip()
    if text.startswith(("Optional[", "t.Optional[", "typing.Optional[")) and text.endswith("]"):
        text = text[text.index("[") + 1 : -1]
    text = text.split("[", 1)[0].split("|", 1)[0].strip()
    if text and all(part.isidentifier() for part in text.split(".")):
        return (Name(text, "local"),)
    return ()


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _asname(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


class _ArgumentUses(cst.CSTVisitor):
    """Whether ``parameter`` is only returned as it is or has attributes read from it."""

    def __init__(self, parameter: str) -> None:
        super().__init__()
        self.parameter = parameter
        self.harmless: set[int] = set()  # Name nodes in ``return p`` and ``p.attribute``
        self.returned = False
        self.escapes = False

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == self.parameter:
            self.harmless.add(id(node.value))
            self.returned = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name):
            self.harmless.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func  # p.__call__(), p.register(...): the parameter is used, not passed on
        receiver = func.value if isinstance(func, cst.Attribute) else None
        if isinstance(receiver, cst.Name) and receiver.value == self.parameter:
            self.escapes = True

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.parameter and id(node) not in self.harmless:
            self.escapes = True


_MARKER_STATEMENTS = 5
"""Marking decorators are short; longer bodies are not walked again (extraction speed)."""


def _returns_argument(node: cst.FunctionDef) -> bool:
    """See :attr:`FunctionFacts.returns_argument` (one parameter, a short body)."""
    params = node.params
    if len(params.params) != 1 or params.posonly_params or params.kwonly_params:
        return False
    if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return False
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    if not body or len(body) > _MARKER_STATEMENTS:
        return False
    uses = _ArgumentUses(params.params[0].name.value)
    node.body.visit(uses)
    return uses.returned and not uses.escapes


def _all_builtin(names: Sequence[Name]) -> bool:
    return all(name.source == "builtin" for name in names)


def _dotted(node: cst.BaseExpression | cst.Attribute | cst.Name) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


def _is_self_attribute(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value in ("self", "cls")
    )


def _is_setter(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value in ("setter", "getter", "deleter")


_ORDER = {
    cst.Equal: lambda a, b: a == b,
    cst.NotEqual: lambda a, b: a != b,
    cst.GreaterThan: lambda a, b: a > b,
    cst.GreaterThanEqual: lambda a, b: a >= b,
    cst.LessThan: lambda a, b: a < b,
    cst.LessThanEqual: lambda a, b: a <= b,
}


def _python3_truth(test: cst.BaseExpression, constants: Mapping[str, bool]) -> bool | None:
    """The value of a Python-major-version test on every Python 3, or None when it depends.

    ``sys.version_info[0] == 2``, ``sys.version_info.major >= 3``, ``sys.version_info < (3,)``,
    ``sys.version_info >= (3, 0)``, names bound to such a test (six's ``PY2``/``PY3``), ``not``.
    """
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _python3_truth(test.expression, constants)
        return None if inner is None else not inner
    if isinstance(test, cst.Name):
        return constants.get(test.value)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    compare = _ORDER.get(type(test.comparisons[0].operator))
    left, right = test.left, test.comparisons[0].comparator
    if compare is None:
        return None
    if _dotted(left) == "sys.version_info.major" or _is_major_index(left):
        if isinstance(right, cst.Integer):
            return bool(compare(3, int(right.value)))
        return None
    if _dotted(left) == "sys.version_info" and isinstance(right, cst.Tuple):
        numbers = [e.value for e in right.elements]
        if not numbers or not all(isinstance(n, cst.Integer) for n in numbers):
            return None
        bound = tuple(int(n.value) for n in numbers if isinstance(n, cst.Integer))
        if bound[0] != 3:  # every 3.x compares with another major as 3 does
            return bool(compare((3,), bound[:1]))
        operator = type(test.comparisons[0].operator)
        if not any(bound[1:]) and operator in (cst.GreaterThanEqual, cst.LessThan):
            return operator is cst.GreaterThanEqual  # every 3.x is >= (3, 0), none < (3, 0)
    return None


def _is_major_index(node: cst.BaseExpression) -> bool:
    """``sys.version_info[0]``."""
    if not isinstance(node, cst.Subscript) or _dotted(node.value) != "sys.version_info":
        return False
    (element,) = node.slice if len(node.slice) == 1 else (None,)
    index = element.slice if element is not None else None
    return (
        isinstance(index, cst.Index)
        and isinstance(index.value, cst.Integer)
        and (index.value.value == "0")
    )


def _is_main_guard(node: cst.If) -> bool:
    """Whether ``node`` is ``if __name__ == "__main__":`` (either order) with no ``else``.

    Its code runs only when the file is executed as a script.
    """
    test = node.test
    if node.orelse is not None or not isinstance(test, cst.Comparison):
        return False
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = (test.left, test.comparisons[0].comparator)
    names = [side.value for side in sides if isinstance(side, cst.Name)]
    strings = [side.evaluated_value for side in sides if isinstance(side, cst.SimpleString)]
    return names == ["__name__"] and strings == ["__main__"]


def _literal_strings(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The values of a tuple or list made only of string literals, else None."""
    if not isinstance(node, (cst.Tuple, cst.List)):
        return None
    values = []
    for element in node.elements:
        if not isinstance(element.value, cst.SimpleString):
            return None
        evaluated = element.value.evaluated_value
        if not isinstance(evaluated, str):
            return None
        values.append(evaluated)
    return tuple(values)


def _constant_argument(node: cst.Call, index: int) -> str | None:
    if len(node.args) <= index:
        return None
    value = node.args[index].value
    if isinstance(value, cst.SimpleString):
        evaluated = value.evaluated_value
        return evaluated if isinstance(evaluated, str) else None
    return None
