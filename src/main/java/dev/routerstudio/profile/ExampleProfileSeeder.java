package dev.routerstudio.profile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Creates the example PPPoE profile on the studio's first start, so a new user has something to
 * build. Remembered in studio_state: a user who deletes it does not get it back.
 */
@Component
public class ExampleProfileSeeder {

    static final String EXAMPLE = "examples/example-pppoe.json";
    private static final String MARKER = "example-profile-seeded";
    private static final Logger log = LoggerFactory.getLogger(ExampleProfileSeeder.class);

    private final ProfileService profiles;
    private final JdbcTemplate jdbc;

    public ExampleProfileSeeder(ProfileService profiles, JdbcTemplate jdbc) {
        this.profiles = profiles;
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void seedOnFirstStart() throws IOException {
        Integer seen = jdbc.queryForObject("SELECT COUNT(*) FROM studio_state WHERE state_key = ?", Integer.class, MARKER);
        if (seen != null && seen > 0) {
            return;
        }
        ProfileSpec example = ProfileJson.read(new ClassPathResource(EXAMPLE).getContentAsString(StandardCharsets.UTF_8));
        if (!profiles.exists(example.name())) {
            profiles.create(example);
            log.info("Created the example profile '{}'", example.name());
        }
        jdbc.update("INSERT INTO studio_state (state_key, state_value) VALUES (?, ?)", MARKER, "true");
    }
}
