"""lab.reference: the Reference page's entries come from the engine's catalogue (every optimizer,
every variant's rule, the hyperparameters with the notes' defaults) and link the lessons that use
each optimizer."""
from lab import reference
from lab.lessons import LESSONS
from optim_core.catalogue import OPTIMIZERS


def test_every_catalogue_optimizer_has_one_entry_grouped_by_family():
    entries = reference.entries(LESSONS)
    assert sorted(e.id for e in entries) == sorted(OPTIMIZERS)
    families = [e.family for e in entries]
    assert families == sorted(families, key=reference.FAMILIES.index)


def test_each_variant_has_its_rule_and_the_default_is_named():
    by_id = {e.id: e for e in reference.entries()}
    adagrad = dict(by_id["adagrad"].rules)
    assert list(adagrad) == ["eps_placement=outside", "eps_placement=inside"]
    assert adagrad["eps_placement=inside"] == OPTIMIZERS["adagrad"].variant_rules["inside"]
    assert adagrad["eps_placement=outside"] == OPTIMIZERS["adagrad"].rule
    assert by_id["bfgs"].rules == (("", OPTIMIZERS["bfgs"].rule),)          # no variants, no label


def test_the_notes_defaults_sit_beside_the_catalogues():
    rows = {h.name: h for h in {e.id: e for e in reference.entries()}["rmsprop"].hyper}
    assert (rows["alpha"].default, rows["alpha"].notes_default) == (0.99, 0.9)
    assert rows["centered"].notes_default is None


def test_lessons_are_linked_from_the_optimizers_they_use():
    by_id = {e.id: e for e in reference.entries(LESSONS)}
    assert "batch_noise" in by_id["sgd"].lessons and "newton_saddle" in by_id["newton"].lessons
    assert all(lid in {lesson.id for lesson in LESSONS} for e in by_id.values() for lid in e.lessons)


def test_try_it_opens_the_optimizer_beside_sgd():
    cfg = reference.try_it("adam")
    assert cfg.optimizers == ("sgd", "adam") and cfg.inside == "adam"
    assert reference.try_it("sgd").optimizers == ("sgd",)
