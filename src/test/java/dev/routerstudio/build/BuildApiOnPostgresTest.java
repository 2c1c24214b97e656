package dev.routerstudio.build;

import dev.routerstudio.PostgresCluster;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every test of {@link BuildApiTest}, on a database of the run's private PostgreSQL cluster. */
class BuildApiOnPostgresTest extends BuildApiTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresCluster.register(registry);
    }
}
