"""examples/python/ml_worker.py, the README's worker in Python: its handlers, and that the README shows it as it is."""
import importlib.util
import pathlib

from groundcontrol_worker.testing import run_stage

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "python" / "ml_worker.py"


def load_example():
    spec = importlib.util.spec_from_file_location("ml_worker", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_shows_the_example_as_it_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A worker in Python", 1)[1]
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert block == EXAMPLE.read_text(encoding="utf-8")


def test_train_with_the_diamond_plans_params():
    example = load_example()
    outcome = run_stage(example.train, mission_id="m-1", params={
        "algorithm": "gradient-boosting", "sample_rate": 0.25,
        "hyperparameters": {"max_depth": 6}})
    assert outcome.finished
    assert outcome.output("model") == "gradient-boosting-m-1"


def test_train_refuses_a_sample_rate_out_of_range_for_good():
    outcome = run_stage(load_example().train, params={"algorithm": "x", "sample_rate": 2})
    assert not outcome.finished and not outcome.retryable
    assert outcome.message == "NonRetryableError: sample_rate must be in (0, 1], but is 2"


def test_features_and_publish():
    example = load_example()
    features = run_stage(example.features, params={
        "window_days": 28, "features": [{"name": "recency", "source": "last_seen"}]})
    assert features.output("features") == ["recency"]
    publish = run_stage(example.publish, params={"target": "models/churn/2026-01-01", "promote": True})
    assert publish.outputs == {"published_to": '"models/churn/2026-01-01"', "promoted": "true"}
