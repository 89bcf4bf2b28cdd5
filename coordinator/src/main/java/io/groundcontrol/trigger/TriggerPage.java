package io.groundcontrol.trigger;

import java.util.List;

/** The applied triggers and whether each reads its topic, sorted by name ({@code GET /api/v1/triggers}). */
public record TriggerPage(List<TriggerStatus> triggers) {}
