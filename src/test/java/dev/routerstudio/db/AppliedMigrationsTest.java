package dev.routerstudio.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrations that studios have already applied never change: Flyway refuses to start on a
 * database whose recorded checksum differs. The H2 figures were read from a studio's
 * flyway_schema_history before the migrations moved into per-database folders (names, not
 * folders, are recorded, so the move is invisible to existing databases).
 */
class AppliedMigrationsTest {

    static final Map<String, Integer> H2 = Map.of(
            "1", -170057589, "2", 179106147, "3", 18040239,
            "4", 277976709, "5", 695268236, "6", -1466696906);

    @Test
    void theH2HistoryOfEarlierStudiosStillMatches() {
        Flyway flyway = Flyway.configure()
                .dataSource("jdbc:h2:mem:applied-migrations;DB_CLOSE_DELAY=-1", "sa", "")
                .locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load();
        Map<String, Integer> checksums = Arrays.stream(flyway.info().all())
                .collect(Collectors.toMap(m -> m.getVersion().getVersion(), MigrationInfo::getChecksum));
        assertThat(checksums).containsAllEntriesOf(H2);
    }
}
