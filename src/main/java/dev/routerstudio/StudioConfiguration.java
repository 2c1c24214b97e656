package dev.routerstudio;

import com.zaxxer.hikari.HikariDataSource;
import dev.routerstudio.node.NodeProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({StudioProperties.class, NodeProperties.class})
public class StudioConfiguration {

    /**
     * The H2 file database inside the data dir unless spring.datasource.url names another one.
     * Built here because H2 wants an absolute path and the data dir may be given relative.
     */
    @Bean
    DataSource dataSource(StudioProperties studio, DataSourceProperties properties) {
        String url = properties.getUrl();
        if (url == null || url.isBlank()) {
            Path db = studio.dataDir().resolve("db");
            try {
                Files.createDirectories(db);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the database folder " + db + " — check studio.data-dir", e);
            }
            url = "jdbc:h2:file:" + db.resolve("studio") + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        return DataSourceBuilder.create().type(HikariDataSource.class).url(url)
                .username(properties.getUsername() == null ? "sa" : properties.getUsername())
                .password(properties.getPassword() == null ? "" : properties.getPassword())
                .build();
    }
}
