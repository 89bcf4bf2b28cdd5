package io.groundcontrol.admission;

import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageInstruction;
import java.util.ArrayList;
import java.util.List;

/**
 * What one step of the {@link Dispatcher} decided, for the admission processor to write in the
 * step's transaction: grants, each back to its mission (with the reclaims of leases, which travel as grants), and instructions to the components' workers
 * (the RUN of each instructed grant; the CANCEL of a granted attempt its mission withdrew).
 *
 * @param grants in the order made
 * @param instructions in the order decided: a CANCEL always after the RUN it stops
 */
public record Decided(List<SlotGrant> grants, List<StageInstruction> instructions) {
  public Decided {
    grants = List.copyOf(grants);
    instructions = List.copyOf(instructions);
  }

  /** Collects a step's decisions in order. */
  static final class Builder {
    private final List<SlotGrant> grants = new ArrayList<>();
    private final List<StageInstruction> instructions = new ArrayList<>();

    void grant(SlotGrant grant) {
      grants.add(grant);
    }

    void instruct(StageInstruction instruction) {
      instructions.add(instruction);
    }

    Decided build() {
      return new Decided(grants, instructions);
    }
  }
}
