package io.groundcontrol.security;

/** What a principal does with Groundcontrol; each role has the ACLs of {@link RoleAcls} and no more. */
public enum Role {
  /** Runs the coordinator: reads inputs and plans, writes events and instructions, owns its internal topics. */
  COORDINATOR("the coordinator (Kafka Streams application)"),
  /** Serves one component: reads its instructions in the component's group, writes reports. */
  WORKER("a worker of one component"),
  /** Applies plans and sends mission commands; reads the event log to follow them. */
  OPERATOR("an operator: plan apply, mission start/cancel/retry/skip/fail, and every read command"),
  /** Reads the event log: mission show/list, audit. */
  VIEWER("a viewer: mission show/list and audit");

  private final String description;

  Role(String description) {
    this.description = description;
  }

  /** Who has the role, in words. */
  public String description() {
    return description;
  }
}
