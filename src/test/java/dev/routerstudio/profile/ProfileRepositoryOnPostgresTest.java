package dev.routerstudio.profile;

import dev.routerstudio.PostgresCluster;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same schema and entity checks on PostgreSQL: Flyway's postgresql migrations and Hibernate's validation. */
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class ProfileRepositoryOnPostgresTest extends ProfileRepositoryTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresCluster.register(registry);
    }
}
