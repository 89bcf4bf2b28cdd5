/**
 * The inside of the worker SDK. Not API: nothing here is supported for use outside the SDK, and all
 * of it may change. Start at {@link io.groundcontrol.worker.internal.WorkerRuntime}.
 */
package io.groundcontrol.worker.internal;
