package dev.routerstudio.security;

import dev.routerstudio.PostgresCluster;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every test of {@link SecurityTest}, on a database of the run's private PostgreSQL cluster. */
class SecurityOnPostgresTest extends SecurityTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresCluster.register(registry);
    }
}
