package io.groundcontrol.query;

import java.util.List;

/** Schedules, sorted by name: every one ({@code GET /api/v1/schedules}) or one instance's share. */
public record SchedulePage(List<ScheduleDocument> schedules) {}
