"""registerModel, registerModelVersion, setModelVersionStatus, createRelease, recordArtifact."""

from __future__ import annotations

import pytest
from actionkit import assert_logged, obj, out, put, run

from opencase.errors import ActionError, ValidationError
from opencase.graph import GraphStore
from opencase.ontology import ids


def test_register_model_keys_a_daia_model_by_family_ata_and_name(store: GraphStore) -> None:
    outcome = run(
        store,
        "registerModel",
        name="HPC CF6-80E Cruise",
        ac_family="A330",
        ata_chapter="72",
        partner="GE",
        tags=["daia"],
    )
    model = f"model-work:{ids.model_key('A330', '72', 'HPC CF6-80E Cruise')}"
    assert outcome.created_ids == [model, "partner:GE"]
    props = obj(store, model).properties
    assert (props["partner_name"], props["tags"]) == ("GE", ["daia"])
    assert out(store, model, "daia-model-by-partner") == {"partner:GE"}
    assert_logged(store, outcome)


def test_register_model_without_family_uses_a_slug_or_the_given_key(store: GraphStore) -> None:
    assert run(store, "registerModel", name="Llama 3 Chat").created_ids == [
        "model-work:Llama-3-Chat"
    ]
    assert run(store, "registerModel", name="x", model_key="catapult/x").created_ids == [
        "model-work:catapult/x"
    ]


def test_an_existing_partner_is_reused(store: GraphStore) -> None:
    put(store, "Partner", name="GE", country="US")
    outcome = run(store, "registerModel", name="m", partner="GE")
    assert outcome.created_ids == ["model-work:m"]
    assert obj(store, "partner:GE").properties["country"] == "US"


def test_registering_a_model_again_returns_it(store: GraphStore) -> None:
    first = run(store, "registerModel", name="llama-3-7b-companyA", company="CompanyA")
    again = run(store, "registerModel", name="llama-3-7b-companyA", company="CompanyA")
    assert first.created_ids == ["model-work:llama-3-7b-companyA"]
    assert (again.created_ids, again.touched_ids) == ([], first.created_ids)
    with pytest.raises(ActionError, match="already registered, with other company"):
        run(store, "registerModel", name="llama-3-7b-companyA", company="CompanyB")
    with pytest.raises(ActionError, match="differs only in letter case"):
        run(store, "registerModel", name="llama-3-7b-companya")
    assert store.stats()["ModelWork"] == 1


def test_register_model_version(store: GraphStore) -> None:
    model = run(store, "registerModel", name="m").created_ids[0]
    outcome = run(store, "registerModelVersion", model_id=model, version="2.1", libraries=["torch"])
    assert outcome.created_ids == ["model-version:m@2.1"]
    props = obj(store, "model-version:m@2.1").properties
    assert (props["status"], props["model_key"], props["libraries"]) == ("Draft", "m", ["torch"])
    assert out(store, model, "model-work-has-version") == {"model-version:m@2.1"}
    assert_logged(store, outcome)


def test_set_model_version_status_follows_the_lifecycle(
    store: GraphStore, model: dict[str, str]
) -> None:
    for status in ("ReadyForValidation", "Validating", "Approved", "Deprecated"):
        outcome = run(
            store, "setModelVersionStatus", model_version_id=model["version"], status=status
        )
        assert obj(store, model["version"]).properties["status"] == status
        assert_logged(store, outcome)
    with pytest.raises(ActionError, match="Deprecated is final"):
        run(store, "setModelVersionStatus", model_version_id=model["version"], status="Draft")


def test_create_release(store: GraphStore, model: dict[str, str]) -> None:
    outcome = run(
        store,
        "createRelease",
        model_id=model["model"],
        version="1.0.0",
        quantization="int8",
        model_version_id=model["version"],
        digest="sha256:abc",
        size_bytes=123,
    )
    key = ids.composite_key(obj(store, model["model"]).properties["model_key"], "1.0.0", "int8")
    release = f"release:{key}"
    assert outcome.created_ids == [release]
    props = obj(store, release).properties
    assert (props["tag"], props["status"], props["size_bytes"]) == ("v1.0.0-int8", "active", 123)
    assert out(store, model["model"], "model-work-has-release") == {release}
    assert out(store, release, "release-packages-version") == {model["version"]}
    assert_logged(store, outcome)


def test_a_release_is_unique_on_model_version_and_quantization(
    store: GraphStore, model: dict[str, str]
) -> None:
    args = {"model_id": model["model"], "version": "1.0.0", "quantization": "fp16"}
    run(store, "createRelease", **args, tag="custom")
    with pytest.raises(ActionError, match="unique on model, version and quantization"):
        run(store, "createRelease", **args)
    run(store, "createRelease", **{**args, "quantization": "int4"})
    assert store.stats()["Release"] == 2


def test_a_release_cannot_package_another_models_version(
    store: GraphStore, model: dict[str, str]
) -> None:
    other = run(store, "registerModel", name="other").created_ids[0]
    with pytest.raises(ActionError, match="is a version of"):
        run(
            store,
            "createRelease",
            model_id=other,
            version="1",
            quantization="fp16",
            model_version_id=model["version"],
        )


@pytest.mark.parametrize(
    ("owner", "link"),
    [
        ("release", "release-includes-artifact"),
        ("version", "model-version-has-artifact"),
        ("experiment", "experiment-produced-artifact"),
    ],
)
def test_record_artifact_links_by_owner_type(
    store: GraphStore, model: dict[str, str], owner: str, link: str
) -> None:
    model["release"] = run(
        store, "createRelease", model_id=model["model"], version="1", quantization="fp16"
    ).created_ids[0]
    model["experiment"] = put(
        store, "Experiment", run_key="mlflow:r1", tracking_system="mlflow", run_id="r1"
    )
    outcome = run(
        store,
        "recordArtifact",
        owner_id=model[owner],
        name="model.whl",
        type="wheel",
        python_version="3.11",
    )
    (artifact,) = outcome.created_ids
    assert obj(store, artifact).properties["python_version"] == "3.11"
    assert out(store, model[owner], link) == {artifact}
    assert_logged(store, outcome)


def test_record_artifact_needs_a_type(store: GraphStore, model: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as err:
        run(store, "recordArtifact", owner_id=model["version"], name="x")
    assert err.value.problems[0].field == "type"


def test_record_artifact_refuses_an_owner_it_cannot_hold(
    store: GraphStore, model: dict[str, str]
) -> None:
    with pytest.raises(ActionError, match="owner_id"):
        run(store, "recordArtifact", owner_id=model["case"], name="x", type="log")
