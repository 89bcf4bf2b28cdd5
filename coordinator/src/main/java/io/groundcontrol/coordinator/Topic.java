package io.groundcontrol.coordinator;

import org.apache.kafka.common.serialization.Serde;

/**
 * One topic, described once: its name and how its keys and values are encoded.
 *
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
