"""Each call of a closure factory (a decorator returning a wrapper) is solved on its own.

Context-insensitive, ``def deco(f): def wrapper(*a): return f(*a); return wrapper`` is one
wrapper for every decorated function: calling any of them calls them all, and what one returns
is what any returns. Flask's ``@setupmethod`` wraps 45 methods that way, so every
``@app.route(...)`` seemed to call all 45 and to return what each returns.
"""

from __future__ import annotations

from pathlib import Path

from call_edges import call_edges

from sbom_enrich.reachability.analysis import analyze
from sbom_enrich.reachability.clones import canonical, closure_factories
from sbom_enrich.reachability.index import (
    IndexOptions,
    index_program,
    source_modules,
    with_operations,
)

WRAPS = "def wrap(f):\n    def wrapper(*args):\n        return f(*args)\n    return wrapper\n\n"
CLASSES = (
    "class A:\n    def run(self):\n        pass\n\nclass B:\n    def run(self):\n        pass\n\n"
)


def test_a_wrapper_returns_what_its_own_wrapped_function_returns(tmp_path: Path) -> None:
    calls = call_edges(
        tmp_path,
        WRAPS + CLASSES + "@wrap\ndef make_a():\n    return A()\n\n"
        "@wrap\ndef make_b():\n    return B()\n\nmake_a().run()\n",
    )
    assert ("main", "main.A.run") in calls
    assert ("main", "main.B.run") not in calls
    # the graph names one wrapper, which calls both (each clone calls its own)
    assert {("main.wrap.wrapper", "main.make_a"), ("main.wrap.wrapper", "main.make_b")} <= calls


def test_a_decorator_factory_s_arguments_stay_with_the_decorator_it_returned(
    tmp_path: Path,
) -> None:
    main = (
        CLASSES + "def command(cls=A):\n    def decorator(f):\n        return cls()\n"
        "    return decorator\n\n@command()\ndef first():\n    pass\n\n"
        "@command(cls=B)\ndef second():\n    pass\n\nfirst.run()\n"
    )
    calls = call_edges(tmp_path, main)
    assert ("main", "main.A.run") in calls  # the default of the factory's parameter
    assert ("main", "main.B.run") not in calls


def test_a_method_wrapped_by_a_decorator_is_bound_through_its_clone(tmp_path: Path) -> None:
    main = (
        WRAPS + CLASSES + "class App:\n    @wrap\n    def one(self):\n        return A()\n\n"
        "    @wrap\n    def two(self):\n        return B()\n\nApp().two().run()\n"
    )
    calls = call_edges(tmp_path, main)
    assert ("main", "main.B.run") in calls
    assert ("main", "main.A.run") not in calls


def test_calls_beyond_the_clone_limits_share_the_factory_and_lose_nothing(
    tmp_path: Path,
) -> None:
    uses = "".join(f"@wrap\ndef f{i}():\n    return A()\n\n" for i in range(400))
    calls = call_edges(tmp_path, WRAPS + CLASSES + uses + "f399().run()\nf0().run()\n")
    assert ("main", "main.A.run") in calls
    assert ("main.wrap.wrapper", "main.f399") in calls


def test_a_recursive_factory_terminates(tmp_path: Path) -> None:
    main = (
        "def chain(n):\n    def step():\n        return chain(n)()\n    return step\n\n"
        "def go():\n    pass\n\nchain(go)()\n"
    )
    assert ("main.chain.step", "main.chain") in call_edges(tmp_path, main)


def test_a_clone_s_name_is_its_factory_s() -> None:
    assert canonical("pkg.mod.deco#12.wrapper") == "pkg.mod.deco.wrapper"
    assert canonical("pkg.mod.Cls.route#7#9.decorator") == "pkg.mod.Cls.route.decorator"
    assert canonical("pkg.mod.plain") == "pkg.mod.plain"


def test_only_the_wrapped_functions_called_through_their_own_wrapper_are_reachable(
    tmp_path: Path,
) -> None:
    (tmp_path / "app").mkdir()
    main = WRAPS + "@wrap\ndef used():\n    pass\n\n@wrap\ndef unused():\n    pass\n\nused()\n"
    (tmp_path / "app" / "main.py").write_text(main)
    reach = analyze([tmp_path / "app"], options=IndexOptions(jobs=1)).reachability
    assert reach.verdict("main.unused").verdict == "not-reachable"
    used = reach.verdict("main.used")
    assert used.verdict == "reachable"
    assert [(s.caller, s.callee) for s in used.path] == [
        ("main", "main.wrap.wrapper"),
        ("main.wrap.wrapper", "main.used"),
    ]
    assert reach.is_reachable("main.wrap.wrapper")


def test_what_a_factory_s_own_body_calls_is_reached_through_its_clone(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    main = (
        "def run_it():\n    pass\n\ndef deco(action):\n    action()\n"
        "    def wrapper(*args):\n        return action(*args)\n    return wrapper\n\n"
        "deco(run_it)\n"
    )
    (tmp_path / "app" / "main.py").write_text(main)
    reach = analyze([tmp_path / "app"], options=IndexOptions(jobs=1)).reachability
    verdict = reach.verdict("main.run_it")
    assert verdict.verdict == "reachable"
    assert [(s.caller, s.callee) for s in verdict.path] == [
        ("main", "main.deco"),
        ("main.deco", "main.run_it"),
    ]


def test_a_function_returning_what_its_closure_returns_is_not_a_factory(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(
        "def prompt(text, convert):\n"
        "    def ask():\n        return convert(text)\n"
        "    return ask()\n\n"
        "def deco(f):\n"
        "    def wrapper():\n        return f()\n"
        "    return wrapper\n"
    )
    options = IndexOptions(jobs=1)
    program, files = index_program(source_modules(tmp_path / "app"), [], options)
    with_operations(program, files, options)
    ops = [(module, op) for module, facts in program.modules.items() for op in facts.operations]
    assert set(closure_factories(program, ops)) == {"main.deco"}
