"""Seeds 002 and 003 through GraphQL: GPU options and training jobs, serving, registry sync,
tool configuration, organisations/users/projects, alerts that notify, on the demo graph."""

from __future__ import annotations

from apikit import DemoApi

REQUEST = """mutation($env: Environment!, $gpu: Boolean!, $type: String, $n: Int, $model: String) {
  requestTrainingJob(name: "fine-tune", environment: $env, useGpu: $gpu, gpuType: $type,
                     gpus: $n, modelId: $model) {
    createdIds
    touched { ... on TrainingJobRequest { id gpuType gpus status gpuOption { id } } }
  }
}"""
LLAMA = "model-work:llama-3-7b-companyA"


def _request(demo: DemoApi, **variables: object) -> dict:
    return demo.client.post(REQUEST, {"model": LLAMA, **variables}, demo.keys["write"])


def test_training_jobs_are_checked_against_the_gpu_options(demo: DemoApi) -> None:
    ok = _request(demo, env="PROD", gpu=True, type="NVIDIA-A100", n=4)
    assert not ok.get("errors"), ok["errors"]
    job = next(t for t in ok["data"]["requestTrainingJob"]["touched"] if t)
    assert (job["gpuType"], job["gpus"], job["status"]) == ("nvidia-a100", 4, "submitted")
    assert job["gpuOption"]["id"] == "gpu-type-option:PROD:nvidia-a100"

    refusals = {
        "unknown type": ({"env": "PROD", "gpu": True, "type": "tpu-v5", "n": 1}, "tpu-v5"),
        "disabled type": ({"env": "DEV", "gpu": True, "type": "nvidia-v100", "n": 1}, "v100"),
        "other env": ({"env": "DEV", "gpu": True, "type": "nvidia-a100", "n": 1}, "enabled"),
        "too many": ({"env": "PROD", "gpu": True, "type": "nvidia-h100", "n": 5}, "at most 4"),
        "gpu without type": ({"env": "PROD", "gpu": True}, "needs gpu_type"),
        "cpu with type": ({"env": "DEV", "gpu": False, "type": "nvidia-t4"}, "names no gpu_type"),
    }
    before = demo.data("{ trainingJobRequests { totalCount } }")["trainingJobRequests"]
    for case, (variables, says) in refusals.items():
        body = _request(demo, **variables)
        assert body.get("errors"), case
        assert says in body["errors"][0]["message"], (case, body["errors"][0]["message"])
    after = demo.data("{ trainingJobRequests { totalCount } }")["trainingJobRequests"]
    assert after == before  # nothing was written

    # the listing names the enabled options of the environment
    listed = _request(demo, env="DEV", gpu=True, type="nvidia-a100", n=1)["errors"][0]
    assert "enabled: nvidia-t4" in listed["message"]

    cpu = _request(demo, env="DEV", gpu=False)
    assert not cpu.get("errors"), cpu["errors"]


def test_training_job_lifecycle(demo: DemoApi) -> None:
    job = demo.data(
        'mutation { requestTrainingJob(name: "cpu job", environment: DEV, useGpu: false) '
        "{ createdIds } }",
        key="write",
    )["requestTrainingJob"]["createdIds"][0]
    move = "mutation($id: String!, $to: TrainingJobStatus!) { setTrainingJobStatus(requestId: $id, status: $to) { summary } }"  # noqa: E501
    demo.data(move, {"id": job, "to": "running"}, key="write")
    demo.data(move, {"id": job, "to": "completed"}, key="write")
    refused = demo.error(move, {"id": job, "to": "running"}, key="write")
    assert "from completed to running" in refused["message"]


def test_serving_settings_are_checked_as_a_whole(demo: DemoApi) -> None:
    shown = demo.data(
        '{ deployment(id: "dep-llama7b-prod-v2") { serving { minReplicas maxReplicas '
        "replicaCount autoscalingMetrics status } } }"
    )["deployment"]["serving"]
    assert shown["minReplicas"] <= shown["replicaCount"] <= shown["maxReplicas"]
    assert shown["autoscalingMetrics"]["gpu_utilisation"] == 0.7
    configure = """mutation($min: Int, $max: Int, $now: Int) {
      configureServing(deploymentId: "deployment:dep-llama7b-staging", servingFramework: "kserve",
        frameworkResourceId: "llama-7b-staging", frameworkNamespace: "ml-staging",
        minReplicas: $min, maxReplicas: $max, replicaCount: $now,
        autoscalingMetrics: {cpu: 0.8}) { createdIds } }"""
    bad = demo.error(configure, {"min": 3, "max": 2, "now": 2}, key="write")
    assert "max_replicas (2) is below min_replicas (3)" in bad["message"]
    outside = demo.error(configure, {"min": 1, "max": 2, "now": 5}, key="write")
    assert "replica_count (5)" in outside["message"]
    demo.data(configure, {"min": 1, "max": 3, "now": 2}, key="write")
    served = demo.data(
        '{ deployment(id: "dep-llama7b-staging") { serving { id status maxReplicas } } }'
    )["deployment"]["serving"]
    assert served == {
        "id": "serving-deployment:kserve:ml-staging/llama-7b-staging",
        "status": "deploying",
        "maxReplicas": 3,
    }


def test_registry_sync_follows_its_lifecycle(demo: DemoApi) -> None:
    sync = """mutation($to: RegistrySyncStatus!) {
      recordRegistrySync(modelId: "model-work:llama-3-70b-companyA", registryType: "huggingface",
        registryModelId: "meta-llama/Meta-Llama-3-70B", syncStatus: $to, imported: true)
      { summary } }"""
    demo.data(sync, {"to": "synced"}, key="write")
    demo.data(sync, {"to": "out_of_sync"}, key="write")
    refused = demo.error(sync, {"to": "never_synced"}, key="write")
    assert "from out_of_sync to never_synced" in refused["message"]
    model = demo.data(
        '{ modelWork(id: "llama-3-70b-companyA") { registryModels { edges { node { '
        "registryModelId syncStatus importedAt } } } } }"
    )["modelWork"]["registryModels"]["edges"]
    assert [e["node"]["syncStatus"] for e in model] == ["out_of_sync"]


def test_integration_config_and_gpu_options_are_admin_settings(demo: DemoApi) -> None:
    result = demo.data(
        'mutation { setIntegrationConfig(environment: STAGE, toolName: "argo_workflows", '
        'integrationType: orchestration, config: {namespace: "argo"}) { createdIds } }',
        key="write",
    )["setIntegrationConfig"]
    assert result["createdIds"] == ["integration-config:STAGE:argo-workflows"]
    demo.data(
        'mutation { setGpuTypeOption(environment: DEV, gpuType: "NVIDIA-V100", '
        'label: "NVIDIA V100 32GB", enabled: true, maxGpus: 2) { summary } }',
        key="write",
    )
    ok = _request(demo, env="DEV", gpu=True, type="nvidia-v100", n=2)
    assert not ok.get("errors"), ok["errors"]
    options = demo.data(
        "{ gpuTypeOptions(where: {environment: {eq: DEV}, enabled: {eq: true}}, "
        "orderBy: [{field: priority}]) { edges { node { gpuType maxGpus } } } }"
    )["gpuTypeOptions"]["edges"]
    assert [e["node"]["gpuType"] for e in options] == ["nvidia-t4", "nvidia-v100"]


def test_alerts_are_acknowledged_resolved_and_notify(demo: DemoApi) -> None:
    raised = demo.data(
        'mutation { raiseAlert(deploymentId: "deployment:dep-mistral-prod", '
        'title: "p95 latency above 2 s", severity: High, recipient: "engineer@acme-ml.com") '
        "{ createdIds logId } }",
        key="write",
    )["raiseAlert"]
    alert = next(i for i in raised["createdIds"] if i.startswith("alert:"))
    ack = demo.data(
        'mutation($id: String!) { acknowledgeAlert(alertId: $id, note: "scaling up") { logId } }',
        {"id": alert},
        key="write",
    )["acknowledgeAlert"]["logId"]
    move = "mutation($id: String!) { acknowledgeAlert(alertId: $id) { logId } }"
    assert "already acknowledged" in demo.error(move, {"id": alert}, key="write")["message"]
    demo.data(
        'mutation($id: String!) { resolveAlert(alertId: $id, resolution: "added replicas") '
        "{ logId } }",
        {"id": alert},
        key="write",
    )
    shown = demo.data(
        """query($id: ID!) { alert(id: $id) { status acknowledgedBy resolvedBy resolution
             deployment { id }
             notifications(orderBy: [{field: sentAt}]) { edges { node {
               title recipient recipientUser { email } actionLog { id actionType } } } } } }""",
        {"id": alert},
    )["alert"]
    assert (shown["status"], shown["acknowledgedBy"], shown["resolvedBy"]) == (
        "resolved",
        "write-key",
        "write-key",
    )
    notes = [e["node"] for e in shown["notifications"]["edges"]]
    assert [n["actionLog"]["actionType"] for n in notes] == [
        "raise-alert",
        "acknowledge-alert",
        "resolve-alert",
    ]
    assert notes[0]["recipientUser"] == {"email": "engineer@acme-ml.com"}
    assert notes[1]["actionLog"]["id"] == ack
    # the alert's log reaches the deployed model's trail
    trail = demo.data(
        '{ modelWork(id: "mistral-7b-companyB") { actionLogs(where: '
        '{actionType: {in: ["raise-alert", "resolve-alert"]}}) { totalCount } } }'
    )["modelWork"]["actionLogs"]["totalCount"]
    assert trail == 2


def test_demo_shows_organisations_users_projects(demo: DemoApi) -> None:
    org = demo.data(
        """{ organisation(id: "acme-ml-corp") {
             members { edges { node { email role } } }
             projects(where: {status: {eq: active}}) { edges { node { name
               models { edges { node { id } } } deployments { edges { node { endpointUrl } } }
               members { totalCount } } } } } }"""
    )["organisation"]
    assert {e["node"]["role"] for e in org["members"]["edges"]} == {
        "admin",
        "data_scientist",
        "ml_engineer",
    }
    (project,) = [e["node"] for e in org["projects"]["edges"]]
    assert project["name"] == "Customer chatbots"
    assert len(project["models"]["edges"]) == 3 and project["members"]["totalCount"] == 2
    assert "https://api.companyA.prod/v2/llama" in {
        e["node"]["endpointUrl"] for e in project["deployments"]["edges"]
    }
