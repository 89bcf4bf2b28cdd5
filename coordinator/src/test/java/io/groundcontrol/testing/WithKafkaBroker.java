package io.groundcontrol.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against the JVM-wide shared broker of {@link KafkaBrokerExtension};
 * declare a {@link KafkaBroker} parameter to receive it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KafkaBrokerExtension.class)
public @interface WithKafkaBroker {
}
