"""Serves the 'ml' stages of examples/diamond.yaml: features, train, publish."""
import os

from groundcontrol_worker import NonRetryableError, Worker

worker = Worker("ml", os.environ.get("GROUNDCONTROL_BOOTSTRAP_SERVERS", "localhost:9092"),
                topic_prefix=os.environ.get("GROUNDCONTROL_TOPIC_PREFIX", "groundcontrol"), parallelism=4)


@worker.stage("features")
def features(params, ctx):
    return {"features": [f["name"] for f in params["features"]], "window_days": params["window_days"]}


@worker.stage("train")
def train(params, ctx):
    if not 0 < params["sample_rate"] <= 1:
        raise NonRetryableError(f"sample_rate must be in (0, 1], but is {params['sample_rate']}")
    ctx.sleep(0.2)  # stands for the training; returns early with StageCancelled if the attempt is cancelled
    return {"model": f"{params['algorithm']}-{ctx.mission_id}", "attempt": ctx.attempt}


@worker.stage("publish")
def publish(params, ctx):
    return {"published_to": params["target"], "promoted": params["promote"]}


if __name__ == "__main__":
    worker.run()  # until Ctrl-C or SIGTERM; running stages finish or are reported failed
