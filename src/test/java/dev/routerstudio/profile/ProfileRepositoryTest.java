package dev.routerstudio.profile;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The Flyway schema and the entity agree, against a real H2 database. */
@DataJpaTest
class ProfileRepositoryTest {

    @Autowired
    ProfileRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void storesTheSpecWithoutItsPasswordAndBumpsTheVersion() {
        Profile profile = new Profile("repo");
        profile.apply(ProfileJson.normalize(Specs.pppoeProfile("repo")), "v1:sealed-elsewhere");
        repository.saveAndFlush(profile);
        assertThat(profile.getVersion()).isEqualTo(1);

        String json = jdbc.queryForObject("SELECT spec_json FROM profile WHERE name = 'repo'", String.class);
        assertThat(json).contains("\"username\" : \"user@isp\"").doesNotContain("secret");
        assertThat(jdbc.queryForObject("SELECT wan_password FROM profile WHERE name = 'repo'", String.class)).isEqualTo("v1:sealed-elsewhere");

        Profile loaded = repository.findByName("repo").orElseThrow();
        loaded.apply(Specs.withHostname(loaded.spec(), "gw2"), loaded.getSealedPassword());
        repository.saveAndFlush(loaded);
        assertThat(repository.findByName("repo").orElseThrow().getVersion()).isEqualTo(2);
        assertThat(repository.findByName("repo").orElseThrow().getSealedPassword()).isEqualTo("v1:sealed-elsewhere");
        assertThat(repository.findAllByOrderByNameAsc()).extracting(Profile::getName).contains("repo");
    }

    @Test
    void namesAreUniqueInTheDatabaseToo() {
        Profile a = new Profile("same");
        a.apply(ProfileJson.normalize(Specs.pppoeProfile("same")), null);
        repository.saveAndFlush(a);
        Profile b = new Profile("same");
        b.apply(ProfileJson.normalize(Specs.pppoeProfile("same")), null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> repository.saveAndFlush(b))
                .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
    }
}
