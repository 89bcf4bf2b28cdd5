"""The 'ml' stages of examples/diamond.yaml on a secured cluster. Argument: a librdkafka properties file
(bootstrap.servers, security.protocol, sasl.*, ssl.ca.location), as README "Security" describes."""
import sys

from groundcontrol_worker import Worker
from kafka_properties import read_properties


worker = Worker("ml", kafka_config=read_properties(sys.argv[1]), parallelism=2)


@worker.stage("features")
def features(params, ctx):
    return {"features": [f["name"] for f in params["features"]]}


@worker.stage("train")
def train(params, ctx):
    return {"model": f"{params['algorithm']}-{ctx.mission_id}", "by": "python"}


@worker.stage("publish")
def publish(params, ctx):
    return {"published_to": params["target"]}


if __name__ == "__main__":
    worker.run()
