package io.groundcontrol.api;

import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.client.LiveTable;
import io.groundcontrol.client.LiveWorkers;
import io.groundcontrol.schema.ComponentStatus;

/**
 * Where the components' routes and metrics read and write: the statuses the admission sub-topology
 * publishes (followed by this instance), the consumer groups of the workers, the settings topic.
 */
record ComponentSources(LiveTable<ComponentStatus> statuses, LiveWorkers workers, ComponentPublisher publisher) {}
