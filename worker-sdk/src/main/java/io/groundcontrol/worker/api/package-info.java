/**
 * The worker SDK: embed it in a service to run the stages of one component.
 *
 * <p>A worker consumes the component's {@code StageInstruction}s from Kafka, runs a {@link
 * io.groundcontrol.worker.api.StageHandler} for each RUN, and reports back to the coordinator:
 *
 * <pre>{@code
 * try (Worker worker = Worker.builder()
 *     .component("bigquery")
 *     .bootstrapServers("kafka:9092")
 *     .handler(context -> {
 *       String table = context.requireStringParam("table");
 *       long rows = load(table);
 *       return StageResult.finished().output("rows", Long.toString(rows));
 *     })
 *     .parallelism(4)
 *     .open()) {
 *   awaitShutdownSignal();
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>At least once.</b> An instruction's offset is committed only after the final report
 *       answering it (finished or failed) has been acknowledged by Kafka. A worker that dies
 *       mid-stage leaves the instruction uncommitted, and the partition's next owner runs it again.
 *       Handlers should therefore be idempotent per (mission, stage, attempt).
 *   <li><b>Reports in order.</b> For one attempt, started (sent only if the handler outlasts the
 *       started-report delay) comes before any heartbeat, and the final report comes last; nothing
 *       is reported for an attempt after its final report.
 *   <li><b>No double run on one worker.</b> A redelivered RUN for an attempt this worker is running
 *       or recently finished is not run again; see {@link io.groundcontrol.worker.api.Worker}.
 * </ul>
 *
 * <p>Everything outside this package, in particular {@code io.groundcontrol.worker.internal}, is
 * not API and may change without notice.
 */
package io.groundcontrol.worker.api;
