package io.groundcontrol.query;

import java.util.Map;

/**
 * One mission in a list: its header, without stages.
 *
 * @param stageCounts how many stages are in each stage status, by status name
 */
public record MissionSummary(
    String missionId,
    String plan,
    String planVersion,
    String status,
    String reason,
    String startedAt,
    String updatedAt,
    Map<String, Integer> stageCounts) {}
