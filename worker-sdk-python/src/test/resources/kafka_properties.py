"""Reads a librdkafka properties file for the tests' worker scripts (bootstrap.servers, security.protocol,
sasl.*, ssl.ca.location), as README "Security" describes."""


def read_properties(path):
    settings = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                settings[key.strip()] = value.strip()
    return settings
