package io.groundcontrol.api;

import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.client.LiveTable;
import io.groundcontrol.schema.ComponentStatus;

/**
 * Where the components' routes and metrics read and write: the statuses the admission sub-topology
 * publishes (followed by this instance), the consumer groups of the workers (a snapshot at most a
 * second old), the settings topic.
 */
record ComponentSources(LiveTable<ComponentStatus> statuses, LiveWorkerSnapshots workers, ComponentPublisher publisher) {}
