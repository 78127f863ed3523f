"""Every deterministic key: two spellings of one thing give one key; case is kept otherwise."""

from __future__ import annotations

from opencase.ontology import ids


def test_daia_model_key_folds_the_seed_way() -> None:
    assert ids.model_key(" a330", "72 ", "HPC (CF6-80E)  Cruise") == ids.model_key(
        "A330", "72", "hpc cf6-80e cruise"
    )


def test_name_keys_keep_case_and_fold_blanks() -> None:
    assert ids.name_key("  llama-3-7b-companyA ") == ids.name_key("llama-3-7b-companyA")
    assert ids.name_key("llama-3-7b-companyA") == "llama-3-7b-companyA"
    assert ids.name_key("Llama 3  Chat") == ids.name_key("Llama-3-Chat")
    assert ids.name_key("llama-3-7b-companyA") != ids.name_key("llama-3-7b-companya")


def test_person_key_by_email_or_normalised_name() -> None:
    assert ids.person_key("DAIA - Francis Obusek") == ids.person_key("francis  obusek")
    assert ids.person_key("Francis <Francis.Obusek@Example.com>") == ids.person_key(
        "francis.obusek@example.com"
    )


def test_md5_keys_ignore_blanks_around_parts() -> None:
    assert ids.tracker_action_id("DAIA ", " 33", "Update A320 ") == ids.tracker_action_id(
        "DAIA", "33", "Update A320"
    )
    assert ids.status_update_id("a", 0, " note") == ids.status_update_id("a", 0, "note")
    assert ids.md5_key("x", None) == ids.md5_key("x", "")


def test_composite_keys_fold_what_sources_spell_differently() -> None:
    assert ids.model_version_id("m", 2) == ids.model_version_id("m ", " 2")
    assert ids.release_id("m", "1.0.0 ", "fp16") == ids.release_id("m", "1.0.0", " fp16")
    assert ids.dataset_version_id("flights ", "abc") == ids.dataset_version_id("flights", "abc ")
    assert ids.run_key("mlflow", " r1") == ids.run_key("mlflow ", "r1")
    assert ids.metric_id("mlflow:r1", "auc", 3) == "mlflow:r1|auc|3"
