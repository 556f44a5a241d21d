"""The typed values that cross stage boundaries: suppressions given to CNN100, fixes and extras of a
diagnostic (through JSON and the result cache), and the front end's options."""

from __future__ import annotations

import json
import pickle

from cnnlint.config import parse
from cnnlint.ir import Loc, ModuleIR
from cnnlint.options import FrontendOptions
from cnnlint.pipeline import Settings, dump_result, load_result
from cnnlint.report.json_format import fix_json
from cnnlint.rules.base import Diagnostic, Edit, Extra, Fix, Suppression, make_fix, offered
from cnnlint.rules.cnn100_unused_suppression import UnusedSuppression
from cnnlint.runner import FileResult, suppressions_in
from cnnlint.targets import KerasTargets, KerasVersion

COMMENT = Loc(3, 32, 3, 57)


def unused(silenced: dict[Suppression, frozenset[str]], selected: frozenset[str]) -> list[str]:
    return [d.message for d in UnusedSuppression().check_suppressions(ModuleIR("a.py"), silenced, selected)]


def test_cnn100_reports_the_listed_codes_that_silenced_nothing() -> None:
    comment = Suppression(COMMENT, frozenset({"CNN001", "CNN004"}))
    assert unused({comment: frozenset({"CNN004"})}, frozenset({"CNN001", "CNN004", "CNN100"})) == [
        "`# cnnlint: ignore[...]` lists CNN001, which is not reported on this line"]


def test_cnn100_leaves_codes_of_rules_not_run_and_comments_that_list_it() -> None:
    listed = Suppression(COMMENT, frozenset({"CNN009"}))
    kept = Suppression(Loc(4, 1, 4, 20), frozenset({"CNN001", "CNN100"}))
    assert unused({listed: frozenset(), kept: frozenset()}, frozenset({"CNN001", "CNN100"})) == []


def test_cnn100_reports_a_blanket_comment_only_when_it_silenced_nothing() -> None:
    blanket = Suppression(COMMENT, None)
    assert unused({blanket: frozenset({"CNN001"})}, frozenset({"CNN100"})) == []
    assert unused({blanket: frozenset()}, frozenset({"CNN100"})) == [
        "`# cnnlint: ignore` silences no finding on this line"]


def test_suppressions_are_located_at_their_directive() -> None:
    code = "x = 1\ny = f(x)  # noqa # cnnlint: ignore[cnn001, CNN004]\n"
    (found,) = suppressions_in(code, [(2, "# noqa # cnnlint: ignore[cnn001, CNN004]")]).values()
    assert found == Suppression(Loc(2, 18, 2, 51), frozenset({"CNN001", "CNN004"}))


def test_fix_json_is_ruffs_shape_with_cells_in_notebooks() -> None:
    fix = Fix("Rename", (Edit(Loc(1, 27, 1, 35), "epochs", cell=4),), "unsafe")
    assert fix_json(fix) == {"applicability": "unsafe", "message": "Rename", "edits": [
        {"content": "epochs", "location": {"row": 1, "column": 27, "cell": 4},
         "end_location": {"row": 1, "column": 35, "cell": 4}}]}
    assert fix_json(None) is None


def test_make_fix_sorts_edits_and_makes_a_repeated_edit_once() -> None:
    first, second = (Loc(2, 1, 2, 3), "b"), (Loc(1, 1, 1, 2), "a")
    fix = make_fix("m", [first, second, first])
    assert fix.edits == (Edit(*second), Edit(*first)) and fix.applicability == "safe"


def test_unsafe_fixes_are_offered_only_when_asked_for() -> None:
    unsafe = make_fix("m", [], "unsafe")
    assert (offered(unsafe, False), offered(unsafe, True), offered(None, True)) == (False, True, False)


def test_a_cached_result_keeps_the_fix_and_the_extras_that_outlive_the_run() -> None:
    fix = Fix("Replace", (Edit(Loc(3, 20, 3, 24), "3136", cell=2),))
    extra = Extra(node=(0, 5), feed=1, modern="Dense(units=10)")
    d = Diagnostic("CNN001", "flatten-size-mismatch", "error", "a.py", Loc(3, 5, 3, 30), "m", fix=fix, extra=extra)
    again = load_result("a.py", json.loads(json.dumps(dump_result(FileResult("a.py", [d])))))
    (loaded,) = again.diagnostics
    assert loaded == d and loaded.extra == extra


def test_frontend_options_come_from_the_configuration() -> None:
    config = parse({"data-format": "channels_first", "input-shapes": {"Net": [32, 32, 3]}}, None, ".")
    options = config.frontend_options()
    assert options == FrontendOptions(data_format="channels_first", input_shapes={"Net": (32, 32, 3)})
    assert options.as_dict() == {"data_format": "channels_first", "input_shapes": {"Net": (32, 32, 3)},
                                 "file_seconds": 10.0, "keras": KerasTargets().as_dict(),
                                 "project_imports": True, "src": []}
    # The Keras targets are resolved per file (the configuration's `keras-version`, then the pins).
    stated = parse({"keras-version": "2.2"}, None, ".")
    assert stated.versions().stated_for("m.py") == (KerasVersion(2, 2), "the configuration: keras-version")


def test_settings_travel_to_worker_processes() -> None:
    settings = Settings(options=FrontendOptions())
    assert pickle.loads(pickle.dumps(settings)) == settings
    stated = Settings(options=FrontendOptions(), versions=parse({"keras-version": "1.2"}, None, ".").versions())
    assert pickle.loads(pickle.dumps(stated)) == stated
    assert pickle.loads(pickle.dumps(stated.options_for("m.py"))) == stated.options_for("m.py")
