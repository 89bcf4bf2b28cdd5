package io.groundcontrol.query;

import java.util.Map;

/**
 * One mission in a list: its header, without stages.
 *
 * @param stageCounts how many stages show each status, by status name ({@link StageStatuses}: a
 *     cancelled mission's stages cut short count as CANCELLED)
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
