"""Loaders: the customer's sources into the graph, validated, idempotent, batch-atomic.

One module per source (``tracker``, ``workpackages``, ``jsonl``, the MLflow
sync under ``mlflow``), one report (``report.LoadReport``) and one way to write
(``staging.write_staged``). ``demo.build_demo`` builds the sample graph from
``loaders/demo_data`` through the same loaders. Modules are imported on use, so
``import opencase.loaders.report`` stays light.
"""
