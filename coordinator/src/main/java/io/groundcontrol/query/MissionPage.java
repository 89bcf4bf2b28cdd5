package io.groundcontrol.query;

import java.util.List;

/**
 * One page of a mission list, newest first.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; null on the last page
 */
public record MissionPage(List<MissionSummary> missions, String nextCursor) {}
