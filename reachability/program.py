"""The analyzed program: every module's facts, indexed by fully-qualified name."""

from __future__ import annotations

import glob
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sbom_enrich.reachability.facts import ClassFacts, FunctionFacts, ModuleFacts

__all__ = ["Program"]


@dataclass
class Program:
    """Indexes over the facts of all analyzed modules.

    Fully-qualified names are the module name followed by the qualname inside it
    (``pkg.mod.Class.method``).
    """

    modules: dict[str, ModuleFacts] = field(default_factory=dict)
    functions: dict[str, FunctionFacts] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    function_module: dict[str, str] = field(default_factory=dict)
    class_module: dict[str, str] = field(default_factory=dict)
    star_imports: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    """Module -> modules it ``import *``s from (absolute names)."""

    @classmethod
    def from_facts(cls, facts: Iterable[ModuleFacts]) -> Program:
        """Index ``facts``."""
        program = cls()
        for module in facts:
            program.add(module)
        return program

    def add(self, facts: ModuleFacts) -> None:
        """Add one module's facts to the indexes."""
        module = facts.module
        self.modules[module] = facts
        for function in facts.functions:
            name = f"{module}.{function.qualname}"
            self.functions[name] = function
            self.function_module[name] = module
        for klass in facts.classes:
            name = f"{module}.{klass.qualname}"
            self.classes[name] = klass
            self.class_module[name] = module
        for record in facts.imports:
            if record.star:
                self.star_imports[module].append(self.absolute(record.module, module))

    def absolute(self, dotted: str, module: str) -> str:
        """Make a possibly relative import path (``..sub.f``) absolute from ``module``."""
        if not dotted.startswith("."):
            return dotted
        level = len(dotted) - len(dotted.lstrip("."))
        facts = self.modules.get(module)
        package = module if facts is not None and facts.is_package else module.rpartition(".")[0]
        parts = package.split(".") if package else []
        if level > 1:
            parts = parts[: len(parts) - (level - 1)]
        rest = dotted[level:]
        return ".".join([*parts, rest]) if rest else ".".join(parts)

    def module_of(self, name: str) -> str | None:
        """The analyzed module that defines the function or class ``name``."""
        return self.function_module.get(name) or self.class_module.get(name)

    def longest_module_prefix(self, dotted: str) -> str | None:
        """The longest prefix of ``dotted`` that is an analyzed module."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.modules:
                return candidate
        return None

    def has_compiled_submodule(self, package: str, name: str) -> bool:
        """Whether the analyzed package ``package`` has a compiled extension module ``name``.

        ``name.cpython-311-x86_64-linux-gnu.so`` or ``name.pyd`` beside its ``__init__``, built
        for any version of the target interpreter, not only the one running the analysis.
        """
        facts = self.modules[package]
        if not facts.is_package:
            return False
        directory = Path(facts.path).parent
        return any(
            path.suffix in (".so", ".pyd") for path in directory.glob(f"{glob.escape(name)}.*")
        )
